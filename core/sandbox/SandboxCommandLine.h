#pragma once

#include <QStringList>

namespace headroom::sandbox {

// The command line shared by headroom-sandbox and `headroom-cli sandbox`:
// parses `arguments` (the first is the program name), starts the server on
// 127.0.0.1, prints exactly one line {"port":N} to stdout when ready, and runs
// the event loop until the lifetime ends or the process is stopped.
// Needs a QCoreApplication. Returns the exit status (0 ok, 1 cannot listen,
// 2 bad usage or config).
int runSandboxCommandLine(const QStringList &arguments);

} // namespace headroom::sandbox
