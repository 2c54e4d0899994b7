/* Elementwise kernels and small reductions: ReLU, sigmoid, bias gradient, BCE from logits. */
#define PYNN_TEMPLATE "elementwise_template.h"
#include "instantiate.h"
