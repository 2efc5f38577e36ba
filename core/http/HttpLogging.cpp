#include "core/http/HttpLogging.h"
Q_LOGGING_CATEGORY(lcHttp, "headroom.http", QtInfoMsg)
