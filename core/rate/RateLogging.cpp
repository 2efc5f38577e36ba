#include "core/rate/RateLogging.h"
Q_LOGGING_CATEGORY(lcRate, "headroom.rate", QtInfoMsg)
