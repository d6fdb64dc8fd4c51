package org.gradguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Axis ticks, number formats, colours and model validation. */
class ChartPartsTest {
  @Test
  void logTicksAreRound() {
    assertEquals(List.of(0.2, 0.3, 0.5, 1.0, 2.0), NiceLogAxis.ticks(0.15, 2.5, 10));
    assertEquals(List.of(0.2, 0.5, 1.0, 2.0), NiceLogAxis.ticks(0.15, 2.5, 4));
    assertEquals(List.of(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1), NiceLogAxis.ticks(9e-7, 0.3, 6));
    assertEquals(List.of(1e-30, 1e-20, 1e-10, 1.0), NiceLogAxis.ticks(1e-31, 2, 5));
    assertEquals(List.of(), NiceLogAxis.ticks(0, 1, 5));
    assertEquals("0.2", NiceLogAxis.label(0.2, false));
    assertEquals("30", NiceLogAxis.label(30, false));
    assertEquals("10⁻⁴", NiceLogAxis.label(1e-4, false));
    assertEquals("2×10⁻⁵", NiceLogAxis.label(2e-5, false));
    assertEquals("10⁰", NiceLogAxis.label(1, true));
    assertEquals("10¹²", NiceLogAxis.label(1e12, true));
  }

  @Test
  void numbersForPeople() {
    assertEquals("1.25", Html.num(1.25));
    assertEquals("0.001134", Html.num(0.0011337));
    assertEquals("4.14e-6", Html.num(4.1432e-6));
    assertEquals("2.22e32", Html.num(2.2213e32));
    assertEquals("—", Html.num(Double.NaN));
    assertEquals("NaN", Html.num(Double.NaN, false));
    assertEquals("+∞", Html.num(Double.POSITIVE_INFINITY));
    assertEquals("80.0%", Html.percent(0.8));
    assertEquals("Sigmoid", Html.capitalize("sigmoid"));
  }

  /**
   * Ten or more variants (a compare of eight gave the first and the eighth the same blue) each get
   * a colour well apart from every other (RGB distance over 60 of 441; Okabe–Ito's orange and
   * vermillion are 67 apart) and a dash of their own.
   */
  @Test
  void tenVariantsGetDistinctColoursAndDashes() {
    assertTrue(Palette.DISTINCT >= 10, "distinct colours: " + Palette.DISTINCT);
    for (int i = 0; i < Palette.DISTINCT; i++) {
      for (int j = 0; j < i; j++) {
        Color a = Palette.variant(i);
        Color b = Palette.variant(j);
        double d =
            Math.sqrt(
                Math.pow(a.getRed() - b.getRed(), 2)
                    + Math.pow(a.getGreen() - b.getGreen(), 2)
                    + Math.pow(a.getBlue() - b.getBlue(), 2));
        assertTrue(d > 60, i + " vs " + j + ": " + Palette.css(a) + " " + Palette.css(b));
        assertNotEquals(Palette.stroke(i, 1f), Palette.stroke(j, 1f), i + " vs " + j);
      }
    }
  }

  @Test
  void palettesAreTheDocumentedOnes() {
    assertEquals("#0072B2", Palette.css(0));
    assertEquals("#E69F00", Palette.css(1));
    assertEquals(Palette.variant(0), Palette.variant(11), "eleven colours, then they cycle");
    assertEquals(new Color(0x440154), Palette.viridis(0));
    assertEquals(new Color(0xFDE725), Palette.viridis(1));
    assertEquals(new Color(0x21918C), Palette.viridis(0.5));
    LayerCharts.ViridisScale scale = new LayerCharts.ViridisScale(-6, 2);
    assertEquals(Palette.NON_FINITE, scale.getPaint(Double.NaN));
    assertEquals(Palette.NON_FINITE, scale.getPaint(Double.POSITIVE_INFINITY));
    assertEquals(Palette.viridis(0), scale.getPaint(Double.NEGATIVE_INFINITY));
  }

  @Test
  void modelRejectsWhatItCannotShow() {
    ReportModel.Run run = ComparisonTableTest.model().runs().get(0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ReportModel("t", List.of(run, run)));
    assertEquals("ReportModel: run names must be unique, got 'baseline' twice", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ReportModel("t", List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> new ReportChart("Bad Id", "h", "c", null, 100, 100));
  }
}
