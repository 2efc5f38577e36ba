#pragma once

#include "core/run/RunSettings.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace headroom::ui {

class CredentialStore;
class ScopeTableModel;

// The APIs & rates panel: per API profile, where to send (the embedded
// sandbox, a region or a base URL), the secret (straight into the
// CredentialStore, never into settings), and the rate, window, burst,
// concurrency, strategy, batching and the shared budget (Redis) it draws
// from, and the profile's rate scopes with their limits. Each profile
// remembers its own values;
// rate and concurrency changes during a run are forwarded to the live lane.
class ApiSettingsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ApiSettingsPanel(CredentialStore *credentials, QWidget *parent = nullptr);

    // The selected profile's settings (file and mapping excluded).
    run::RunSettings settings() const;
    // Selects settings.profile and shows these values.
    void setSettings(const run::RunSettings &settings);
    // What a run of `profile` takes: the values shown when it is the selected
    // profile (or `profile` is empty), else those remembered for it (or its
    // bare defaults) with the selected target's sandbox choice.
    run::RunSettings settingsOf(const QString &profile) const;
    // Every profile's remembered values, for saving.
    QList<run::RunSettings> allProfiles() const;
    void setAllProfiles(const QList<run::RunSettings> &profiles);

    static run::RunSettings defaultsFor(const QString &profile);

    // Types a secret and saves it to the store, as the operator would.
    void saveCredential(const QString &variable, const QString &value);
    // The secrets typed into the fields, kept in memory for this session, as the operator would.
    QPushButton *keepForSessionButton() const { return m_keepSecrets; }
    QPushButton *saveButton() const { return m_saveSecrets; }
    QLineEdit *credentialField(const QString &variable) const { return m_secretFields.value(variable); }

    void setRunning(bool running);
    ScopeTableModel *scopeModel() const { return m_scopeModel; }
    // The "Rate scopes" box, for a picture of it below the scroll fold.
    QWidget *scopesBox() const { return m_scopesBox; }

signals:
    void settingsChanged();
    // During a run: the live lane should take these.
    void laneLimitChanged(int limit, qint64 windowMs);
    void laneConcurrencyChanged(int concurrency);

private:
    // The constructor's steps.
    void setUpControls();
    QWidget *buildApiBox();
    QWidget *buildCredentialsBox();
    QWidget *buildRateBox();
    QWidget *buildScopesBox();
    void connectSignals();

    void showProfile(const QString &profile);
    void storeCurrent();
    void rebuildCredentials();
    void saveCredentials();
    void keepCredentialsForSession();
    // Each field's placeholder and the status line: where its secret comes from.
    void showCredentialSources();
    void updateTargetControls();
    // The scope table: the profile's scopes, main at the rate shown above.
    void refreshScopes();
    void setScopeLimit(const QString &scope, const QList<headroom::scopes::ScopeWindow> &windows);

    CredentialStore *m_credentials;
    QHash<QString, run::RunSettings> m_profiles;
    QString m_current;
    bool m_loading = false;
    bool m_running = false;

    QComboBox *m_profile;
    QComboBox *m_target;
    QLineEdit *m_baseUrl;
    QFormLayout *m_secretForm;
    QHash<QString, QLineEdit *> m_secretFields;
    QPushButton *m_saveSecrets;
    QPushButton *m_keepSecrets;
    QLabel *m_secretStatus;
    QSpinBox *m_rate;
    QSpinBox *m_windowMs;
    QCheckBox *m_tokenBucket;
    QSpinBox *m_burst;
    QSpinBox *m_concurrency;
    QComboBox *m_strategy;
    QCheckBox *m_batch;
    QLineEdit *m_sharedBudget = nullptr; // redis://HOST:PORT/DB?key=NAME, per profile
    ScopeTableModel *m_scopeModel = nullptr;
    QWidget *m_scopesBox = nullptr;
    QTableView *m_scopeTable = nullptr;
    QLabel *m_scopeStatus = nullptr;
};

} // namespace headroom::ui
