/* Optimizer update steps, applied in place to a parameter and its state. */
#define PYNN_TEMPLATE "optim_template.h"
#include "instantiate.h"
