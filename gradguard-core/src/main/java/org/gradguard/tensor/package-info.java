/** Dense float32 tensors. */
package org.gradguard.tensor;
