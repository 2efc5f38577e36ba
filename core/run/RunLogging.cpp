#include "core/run/RunLogging.h"
Q_LOGGING_CATEGORY(lcRun, "headroom.run", QtInfoMsg)
