/* instantiate.h: compile one kernel template for float32 and for float64.
 *
 * A kernel source defines PYNN_TEMPLATE as the name of its template file and includes this
 * header. The template is written once in terms of `real`, SUFFIX(name) and the math macros
 * below, and comes out as name_f32 and name_f64: the two dtypes cannot drift apart. */
#include <math.h>
#include "pynn.h"

#define real float
#define SUFFIX(name) name##_f32
#define EXP expf
#define LOG1P log1pf
#define SQRT sqrtf
#define TANH tanhf
#include PYNN_TEMPLATE
#undef real
#undef SUFFIX
#undef EXP
#undef LOG1P
#undef SQRT
#undef TANH

#define real double
#define SUFFIX(name) name##_f64
#define EXP exp
#define LOG1P log1p
#define SQRT sqrt
#define TANH tanh
#include PYNN_TEMPLATE
#undef real
#undef SUFFIX
#undef EXP
#undef LOG1P
#undef SQRT
#undef TANH
