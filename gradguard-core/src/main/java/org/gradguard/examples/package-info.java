/** Small runnable programs that show GradGuard end to end. */
package org.gradguard.examples;
