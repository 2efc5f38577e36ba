#include "core/sandbox/SandboxLogging.h"
Q_LOGGING_CATEGORY(lcSandbox, "headroom.sandbox", QtInfoMsg)
