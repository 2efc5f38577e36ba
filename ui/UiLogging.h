#pragma once

#include <QLoggingCategory>

// The console's one logging category ("headroom.ui").
Q_DECLARE_LOGGING_CATEGORY(lcUi)
