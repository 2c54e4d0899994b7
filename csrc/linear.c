/* The backward pass of a dense layer, act(x op(w) + bias), in one call. */
#include <stddef.h>
#define PYNN_TEMPLATE "linear_template.h"
#include "instantiate.h"
