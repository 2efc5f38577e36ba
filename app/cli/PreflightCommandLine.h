#pragma once

#include "core/imports/Preflight.h"
#include "core/scopes/ScopeSet.h"
#include "core/state/ChangeMode.h"

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
    // --changed-only / --only-new / --only-existing: which mode to count, the
    // source as the run would read it (with the destination) and its store.
    state::ChangeMode changeMode() const { return m_changeMode; }
    const imports::CallSourceOptions &runSource() const { return m_runSource; }
    QString storePath() const { return m_storePath; }

private:
    bool fail(const QString &message);
    bool readRequired();
    bool readProfile();
    bool readRate();
    bool readWindow();
    bool readFormat();
    bool readMapping();
    bool readLimits();
    bool readChangeMode();

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
    const QCommandLineOption m_changedOnly;
    const QCommandLineOption m_onlyNew;
    const QCommandLineOption m_onlyExisting;
    const QCommandLineOption m_baseUrl;
    const QCommandLineOption m_sandbox;
    const QCommandLineOption m_region;
    const QCommandLineOption m_stateDir;
    state::ChangeMode m_changeMode = state::ChangeMode::All;
    imports::CallSourceOptions m_runSource;
    QString m_storePath;
    imports::PreflightOptions m_options;
    scopes::ScopeSet m_scopes;
    QString m_error;
    bool m_errorNeedsHelp = false;
};

} // namespace headroom::cli
