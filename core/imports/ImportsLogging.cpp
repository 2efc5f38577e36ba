#include "core/imports/ImportsLogging.h"
Q_LOGGING_CATEGORY(lcImports, "headroom.imports", QtInfoMsg)
