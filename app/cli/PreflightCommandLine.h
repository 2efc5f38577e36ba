#pragma once

#include "core/imports/Preflight.h"
#include "core/scopes/ScopeSet.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

namespace headroom::cli {

// The command line of `headroom-cli preflight`, one member per option that
// needs checking. Errors are the usage messages the command prints after
// "headroom-cli preflight: ".
class PreflightCommandLine
{
public:
    enum class Outcome { Check,
                         Help,
                         Usage };

    PreflightCommandLine();

    Outcome parse(const QStringList &args);
    QString helpText() const;
    QString errorText() const { return m_error; }
    // A missing required option is answered with the usage after the message.
    bool errorNeedsHelp() const { return m_errorNeedsHelp; }

    const imports::PreflightOptions &options() const { return m_options; }
    bool json() const { return m_parser.isSet(m_json); }
    // The profile's rate scopes with the --limits file applied.
    const scopes::ScopeSet &scopes() const { return m_scopes; }
    bool limitsGiven() const { return m_parser.isSet(m_limits); }
    bool strict() const { return m_parser.isSet(m_strict); }

private:
    bool fail(const QString &message);
    bool readRequired();
    bool readProfile();
    bool readRate();
    bool readWindow();
    bool readFormat();
    bool readMapping();
    bool readLimits();

    QCommandLineParser m_parser;
    const QCommandLineOption m_profile;
    const QCommandLineOption m_file;
    const QCommandLineOption m_mapping;
    const QCommandLineOption m_format;
    const QCommandLineOption m_rate;
    const QCommandLineOption m_window;
    const QCommandLineOption m_limits;
    const QCommandLineOption m_json;
    const QCommandLineOption m_strict;
    imports::PreflightOptions m_options;
    scopes::ScopeSet m_scopes;
    QString m_error;
    bool m_errorNeedsHelp = false;
};

} // namespace headroom::cli
