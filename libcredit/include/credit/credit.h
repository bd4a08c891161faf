// credit/credit.h: the umbrella header. Including it gives the whole public
// API of libcredit; callers may include nothing outside include/credit/.
#ifndef CREDIT_CREDIT_H_
#define CREDIT_CREDIT_H_

#include "credit/clock.h"
#include "credit/engine.h"
#include "credit/indicator.h"
#include "credit/normalize.h"
#include "credit/options.h"
#include "credit/plugin.h"
#include "credit/record.h"

#endif  // CREDIT_CREDIT_H_
