#include "core/state/StateLogging.h"
Q_LOGGING_CATEGORY(lcState, "headroom.state", QtInfoMsg)
