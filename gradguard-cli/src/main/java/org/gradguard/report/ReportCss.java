package org.gradguard.report;

/**
 * The report's style sheet, inlined into every report (no external fonts or files): a system font
 * stack, one column of at most 980 px, variant colours through the CSS variable {@code --c}, and
 * print rules that keep figures, cards and findings whole on a page. Package-private.
 */
final class ReportCss {
  private ReportCss() {}

  static final String CSS =
      """
      :root {
        --ink: #1f2328; --muted: #59636e; --line: #d9dee3; --soft: #f5f7f9;
        --info: #2B7BB9; --warn: #B07800; --crit: #C44E00; --ok: #00805A;
      }
      * { box-sizing: border-box; }
      html { font-size: 15px; -webkit-text-size-adjust: 100%; }
      body {
        margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
        font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
          "Noto Sans", "DejaVu Sans", sans-serif;
      }
      main { max-width: 980px; margin: 0 auto; padding: 36px 28px 72px; }
      h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.015em; }
      h2 {
        font-size: 1.35rem; margin: 56px 0 6px; padding-bottom: 6px;
        border-bottom: 1px solid var(--line); letter-spacing: -0.005em;
      }
      h3 { font-size: 1.05rem; margin: 0; }
      h2 + p.lead { margin-top: 4px; }
      p.lead, .sub { color: var(--muted); margin: 0 0 12px; max-width: 78ch; }
      code, pre, .mono {
        font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
      }
      nav.toc { margin: 18px 0 4px; font-size: 0.9rem; display: flex; flex-wrap: wrap; gap: 4px 16px; }
      nav.toc a { color: var(--muted); text-decoration: none; border-bottom: 1px dotted #aab; }
      nav.toc a:hover { color: var(--ink); }
      .num, td.num, dd { font-variant-numeric: tabular-nums; }
      .swatch {
        display: inline-block; width: 14px; height: 14px; border-radius: 3px;
        background: var(--c); vertical-align: -2px; margin-right: 6px; flex: none;
      }

      /* summary cards */
      .cards {
        display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr));
        gap: 14px; margin-top: 14px;
      }
      .card {
        border: 1px solid var(--line); border-top: 5px solid var(--c); border-radius: 8px;
        padding: 14px 16px 12px; break-inside: avoid; background: #fff;
      }
      .card header { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
      .card h3 { display: flex; align-items: center; overflow-wrap: anywhere; }
      .card dl {
        display: grid; grid-template-columns: auto 1fr; gap: 3px 12px;
        margin: 12px 0 10px; font-size: 0.92rem;
      }
      .card dt { color: var(--muted); }
      .card dd { margin: 0; text-align: right; font-weight: 600; }
      .card dd small { font-weight: 400; color: var(--muted); }
      .card .headline {
        margin: 0; padding-top: 8px; border-top: 1px solid var(--line);
        font-size: 0.9rem; color: var(--ink);
      }
      .badge {
        display: inline-block; font-size: 0.72rem; font-weight: 700; letter-spacing: 0.04em;
        text-transform: uppercase; padding: 1px 8px; border-radius: 999px;
        border: 1.5px solid currentColor; white-space: nowrap; line-height: 1.6;
      }
      .badge.healthy { color: var(--ok); background: #e7f5ef; }
      .badge.warning { color: var(--warn); background: #fdf4de; }
      .badge.critical { color: var(--crit); background: #fcebe0; }
      .badge.incomplete { color: var(--warn); background: #fdf4de; border-style: dashed; }
      .badge.diverged { color: #fff; background: var(--crit); border-color: var(--crit); }
      .badge.info { color: var(--info); background: #e6f1fa; }
      .counts .c { color: var(--crit); } .counts .w { color: var(--warn); }
      .counts .i { color: var(--info); }
      .counts span { white-space: nowrap; }

      /* figures */
      figure { margin: 18px 0 30px; break-inside: avoid; page-break-inside: avoid; }
      figure img {
        display: block; width: 100%; height: auto; border: 1px solid var(--line);
        border-radius: 6px;
      }
      figcaption { color: var(--muted); font-size: 0.88rem; margin-top: 6px; max-width: 82ch; }
      figcaption b { color: var(--ink); }

      /* tables */
      table {
        border-collapse: collapse; width: 100%; font-size: 0.88rem; margin: 8px 0 18px;
        font-variant-numeric: tabular-nums;
      }
      th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
      th {
        font-weight: 600; color: var(--muted); font-size: 0.74rem; text-transform: uppercase;
        letter-spacing: 0.04em; border-bottom: 1.5px solid #bcc3ca;
      }
      td.num, th.num { text-align: right; white-space: nowrap; }
      tr.more td { color: var(--muted); font-style: italic; }

      /* findings */
      .run-block { margin-top: 22px; }
      .run-block > h3 { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; }
      .finding {
        border: 1px solid var(--line); border-left: 5px solid var(--sev); border-radius: 6px;
        padding: 12px 16px; margin: 10px 0 14px; break-inside: avoid; page-break-inside: avoid;
      }
      .finding.CRITICAL { --sev: var(--crit); }
      .finding.WARNING { --sev: var(--warn); }
      .finding.INFO { --sev: var(--info); }
      .finding h4 { margin: 0 0 4px; font-size: 1rem; display: flex; gap: 10px; align-items: center; }
      .finding .where { color: var(--muted); font-size: 0.88rem; margin: 0 0 8px; }
      .finding .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 24px; }
      .finding h5 {
        margin: 8px 0 2px; font-size: 0.74rem; text-transform: uppercase; letter-spacing: 0.05em;
        color: var(--muted);
      }
      .finding ul, .finding ol { margin: 0; padding-left: 20px; font-size: 0.9rem; }
      .finding li { margin: 2px 0; }
      .numbers { display: flex; flex-wrap: wrap; gap: 4px 8px; margin: 4px 0 0; padding: 0; }
      .numbers span {
        background: var(--soft); border-radius: 4px; padding: 1px 7px; font-size: 0.8rem;
      }
      .ok-note { color: var(--ok); font-weight: 600; }

      /* configuration */
      .config { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; }
      .config table { font-size: 0.84rem; margin: 0; }
      .config td { white-space: pre-wrap; overflow-wrap: anywhere; }
      .config th {
        width: 36%; text-transform: none; letter-spacing: 0; font-size: 0.84rem;
        border-bottom: 1px solid var(--line);
      }
      pre {
        background: var(--soft); padding: 12px 14px; border-radius: 6px; overflow-x: auto;
        font-size: 0.8rem; line-height: 1.45; margin: 0; white-space: pre-wrap;
      }
      footer { margin-top: 56px; color: var(--muted); font-size: 0.8rem; }

      @media (max-width: 720px) {
        .finding .cols, .config { grid-template-columns: 1fr; }
      }
      @page { margin: 14mm 12mm; }
      @media print {
        html { font-size: 12px; }
        main { max-width: none; padding: 0; }
        nav.toc { display: none; }
        h2 { margin-top: 28px; }
        h2, h2 + p.lead, .run-block > h3 { break-after: avoid; page-break-after: avoid; }
        figure img { border: none; }
        * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        a { color: inherit; text-decoration: none; }
        pre { white-space: pre-wrap; }
      }
      """;
}
