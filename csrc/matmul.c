/* Matrix product with transpose flags and a fused bias + activation epilogue. */
#define PYNN_TEMPLATE "matmul_template.h"
#include "instantiate.h"
