#include "ui/apis/ApiSettingsPanel.h"

#include "core/apis/ApiProfile.h"
#include "ui/apis/CredentialStore.h"
#include "core/budget/RedisUrl.h"
#include "core/scopes/ProfileScopes.h"
#include "ui/apis/ScopeTableModel.h"
#include "ui/session/RunSession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollBar>
#include <QHeaderView>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>

namespace headroom::ui {

namespace {

const QString kSandbox = QStringLiteral("sandbox");
const QString kCustom = QStringLiteral("custom");

} // namespace

ApiSettingsPanel::ApiSettingsPanel(CredentialStore *credentials, QWidget *parent)
    : QWidget(parent)
    , m_credentials(credentials)
    , m_profile(new QComboBox(this))
    , m_target(new QComboBox(this))
    , m_baseUrl(new QLineEdit(this))
    , m_secretForm(new QFormLayout)
    , m_saveSecrets(new QPushButton(tr("Save to &keychain"), this))
    , m_keepSecrets(new QPushButton(tr("For this &session only"), this))
    , m_secretStatus(new QLabel(this))
    , m_rate(new QSpinBox(this))
    , m_windowMs(new QSpinBox(this))
    , m_tokenBucket(new QCheckBox(tr("&Token bucket (GCRA)"), this))
    , m_burst(new QSpinBox(this))
    , m_concurrency(new QSpinBox(this))
    , m_strategy(new QComboBox(this))
    , m_batch(new QCheckBox(tr("&Batch rows"), this))
{
    setUpControls();
    QWidget *where = buildApiBox();
    QWidget *secrets = buildCredentialsBox();
    QWidget *pace = buildRateBox();
    QWidget *scopes = buildScopesBox();
    m_scopesBox = scopes;
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(where);
    layout->addWidget(secrets);
    layout->addWidget(pace);
    layout->addWidget(scopes, 1);
    connectSignals();

    showProfile(m_profile->currentData().toString());
}

// Items, ranges, special values and tips of the controls made in the
// initialiser list.
void ApiSettingsPanel::setUpControls()
{
    for (const apis::ApiProfile &profile : apis::ApiProfile::all())
        m_profile->addItem(profile.title.isEmpty() ? profile.name : profile.title, profile.name);
    m_baseUrl->setPlaceholderText(QStringLiteral("https://api.example.com"));
    m_rate->setRange(0, 1000000);
    m_rate->setSpecialValueText(tr("unknown (discover)"));
    m_rate->setAccessibleName(tr("Requests per window"));
    m_windowMs->setRange(1, 3600000);
    m_windowMs->setSuffix(tr(" ms"));
    m_windowMs->setAccessibleName(tr("Window length"));
    m_burst->setRange(0, 100000);
    m_concurrency->setRange(0, 1024);
    m_concurrency->setSpecialValueText(tr("automatic"));
    m_strategy->addItem(tr("Automatic"), int(run::RunSettings::Strategy::Auto));
    m_strategy->addItem(tr("Fixed limit"), int(run::RunSettings::Strategy::Fixed));
    m_strategy->addItem(tr("Follow headers"), int(run::RunSettings::Strategy::Headers));
    m_strategy->addItem(tr("Discover"), int(run::RunSettings::Strategy::Discover));
    m_tokenBucket->setToolTip(tr("Pace with a token bucket and this burst instead of an exact sliding window."));
    m_batch->setToolTip(tr("Pack rows into the API's batch endpoint where it has one."));
    m_secretStatus->setWordWrap(true);
    m_secretStatus->setText(tr("Secrets are kept in the system keychain, never in settings files."));
    m_keepSecrets->setToolTip(tr("Keep the typed secrets in memory until the console quits, never written "
                                 "anywhere: for a desktop without a working keychain."));
}

// Where to send: profile, target and base URL.
QWidget *ApiSettingsPanel::buildApiBox()
{
    auto *where = new QGroupBox(tr("API"), this);
    auto *whereForm = new QFormLayout(where);
    whereForm->addRow(tr("&Profile:"), m_profile);
    whereForm->addRow(tr("&Target:"), m_target);
    whereForm->addRow(tr("Base &URL:"), m_baseUrl);
    return where;
}

// The profile's secrets (rebuildCredentials fills the form) and Save to keychain.
QWidget *ApiSettingsPanel::buildCredentialsBox()
{
    auto *secrets = new QGroupBox(tr("Credentials"), this);
    auto *secretsLayout = new QVBoxLayout(secrets);
    secretsLayout->addLayout(m_secretForm);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_saveSecrets);
    buttons->addWidget(m_keepSecrets);
    buttons->addStretch(1);
    secretsLayout->addLayout(buttons);
    secretsLayout->addWidget(m_secretStatus);
    return secrets;
}

// Rate, window, token bucket, burst, concurrency, strategy, batching and the
// shared budget.
QWidget *ApiSettingsPanel::buildRateBox()
{
    auto *pace = new QGroupBox(tr("Rate"), this);
    auto *paceForm = new QFormLayout(pace);
    paceForm->addRow(tr("&Rate per window:"), m_rate);
    paceForm->addRow(tr("&Window:"), m_windowMs);
    paceForm->addRow(QString(), m_tokenBucket);
    paceForm->addRow(tr("B&urst:"), m_burst);
    paceForm->addRow(tr("&Concurrency:"), m_concurrency);
    paceForm->addRow(tr("&Strategy:"), m_strategy);
    paceForm->addRow(QString(), m_batch);
    m_sharedBudget = new QLineEdit(this);
    m_sharedBudget->setPlaceholderText(QStringLiteral("redis://HOST:6379/0?key=NAME"));
    m_sharedBudget->setToolTip(tr("Share this limit with every Headroom process that names the same Redis key "
                                  "(one key per workspace and API). Empty: this console's own limit."));
    m_sharedBudget->setAccessibleName(tr("Shared budget"));
    paceForm->addRow(tr("S&hared budget:"), m_sharedBudget);
    return pace;
}

// The profile's rate scopes: which requests share which limit.
QWidget *ApiSettingsPanel::buildScopesBox()
{
    auto *box = new QGroupBox(tr("Rate scopes"), this);
    auto *layout = new QVBoxLayout(box);
    m_scopeModel = new ScopeTableModel(this);
    m_scopeTable = new QTableView(box);
    m_scopeTable->setModel(m_scopeModel);
    m_scopeTable->setAccessibleName(tr("Rate scopes"));
    m_scopeTable->verticalHeader()->hide();
    m_scopeTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_scopeTable->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_scopeTable->setWordWrap(false);
    // The limit is what the operator looks for: always whole; a long path
    // template gives way, elided in the middle (its tooltip has it whole).
    m_scopeTable->setTextElideMode(Qt::ElideMiddle);
    QHeaderView *header = m_scopeTable->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ScopeTableModel::Match, QHeaderView::Stretch);
    header->setStretchLastSection(false);
    m_scopeStatus = new QLabel(box);
    m_scopeStatus->setWordWrap(true);
    layout->addWidget(m_scopeTable);
    layout->addWidget(m_scopeStatus);
    connect(m_scopeModel, &QAbstractItemModel::dataChanged, this, [this] { m_scopeStatus->clear(); });
    connect(m_scopeModel, &ScopeTableModel::editRefused, m_scopeStatus, &QLabel::setText);
    return box;
}

void ApiSettingsPanel::refreshScopes()
{
    scopes::ScopeSet set = scopes::ProfileScopes::forProfile(m_current);
    if (m_rate->value() > 0)
        set.setMainWindows({{m_rate->value(), std::chrono::milliseconds(m_windowMs->value())}});
    set.applyLimits(m_profiles.value(m_current, defaultsFor(m_current)).scopeLimits);
    m_scopeModel->setScopes(set);
    // The panel lives in a scroll area, which gives the table only its size
    // hint: ask for every row (up to a dozen) so a profile's table reads
    // without a scroll bar of its own.
    const int rows = std::min(m_scopeModel->rowCount(), 12);
    m_scopeTable->resizeRowsToContents();
    const int rowHeight = rows > 0 ? m_scopeTable->rowHeight(0) : m_scopeTable->verticalHeader()->defaultSectionSize();
    m_scopeTable->setMinimumHeight(m_scopeTable->horizontalHeader()->sizeHint().height() + rows * rowHeight
                                   + 2 * m_scopeTable->frameWidth()
                                   + m_scopeTable->horizontalScrollBar()->sizeHint().height());
}

void ApiSettingsPanel::setScopeLimit(const QString &scope, const QList<scopes::ScopeWindow> &windows)
{
    // Kept with the profile's settings, which the run takes as a limits file's override.
    run::RunSettings s = settings();
    s.scopeLimits.removeIf([&](const scopes::ScopeLimitOverride &limit) { return limit.scope == scope; });
    s.scopeLimits.append({scope, windows});
    m_profiles.insert(m_current, s);
    emit settingsChanged();
}

void ApiSettingsPanel::connectSignals()
{
    connect(m_profile, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        storeCurrent();
        showProfile(m_profile->currentData().toString());
        emit settingsChanged();
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        updateTargetControls();
        if (!m_loading)
            emit settingsChanged();
    });
    auto changed = [this] {
        if (!m_loading)
            emit settingsChanged();
    };
    connect(m_baseUrl, &QLineEdit::editingFinished, this, changed);
    connect(m_tokenBucket, &QCheckBox::toggled, this, changed);
    connect(m_burst, &QSpinBox::valueChanged, this, changed);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, changed);
    connect(m_batch, &QCheckBox::toggled, this, changed);
    connect(m_sharedBudget, &QLineEdit::editingFinished, this, [this, changed] {
        // A password typed into the URL goes to the keychain at once; the field
        // (and so the screen, screenshots and settings) keeps it masked.
        const std::optional<budget::RedisUrl> url = budget::RedisUrl::parse(m_sharedBudget->text().trimmed(), nullptr);
        if (url && !url->password.isEmpty() && url->password != QLatin1String("***")) {
            saveCredential(RunSession::redisPasswordVariable(), url->password);
            m_sharedBudget->setText(url->redacted());
        }
        changed();
    });
    auto limitChanged = [this] {
        if (m_loading)
            return;
        refreshScopes();
        emit settingsChanged();
        if (m_running && m_rate->value() > 0)
            emit laneLimitChanged(m_rate->value(), m_windowMs->value());
    };
    connect(m_rate, &QSpinBox::valueChanged, this, limitChanged);
    connect(m_windowMs, &QSpinBox::valueChanged, this, limitChanged);
    connect(m_concurrency, &QSpinBox::valueChanged, this, [this] {
        if (m_loading)
            return;
        emit settingsChanged();
        if (m_running && m_concurrency->value() > 0)
            emit laneConcurrencyChanged(m_concurrency->value());
    });
    connect(m_saveSecrets, &QPushButton::clicked, this, &ApiSettingsPanel::saveCredentials);
    connect(m_keepSecrets, &QPushButton::clicked, this, &ApiSettingsPanel::keepCredentialsForSession);
    connect(m_scopeModel, &ScopeTableModel::limitEdited, this, &ApiSettingsPanel::setScopeLimit);
}

run::RunSettings ApiSettingsPanel::defaultsFor(const QString &profile)
{
    run::RunSettings s;
    s.profile = profile;
    s.sandbox = true; // a fresh console rehearses against the embedded sandbox
    if (const apis::ApiProfile *p = apis::ApiProfile::find(profile)) {
        if (p->rate) {
            s.rate = p->rate->limit;
            s.window = p->rate->window;
        }
    }
    return s;
}

void ApiSettingsPanel::showProfile(const QString &profile)
{
    m_loading = true;
    m_current = profile;
    const run::RunSettings s = m_profiles.value(profile, defaultsFor(profile));
    m_profile->setCurrentIndex(std::max(0, m_profile->findData(profile)));

    m_target->clear();
    m_target->addItem(tr("Embedded sandbox (127.0.0.1)"), kSandbox);
    if (const apis::ApiProfile *p = apis::ApiProfile::find(profile)) {
        for (const apis::Region &region : p->regions)
            m_target->addItem(tr("%1 — %2").arg(region.name.toUpper(), region.baseUrl.toString()), region.name);
    }
    m_target->addItem(tr("Custom base URL"), kCustom);
    QString target = kSandbox;
    if (!s.sandbox)
        target = !s.baseUrl.isEmpty() ? kCustom : (s.region.isEmpty() ? m_target->itemData(1).toString() : s.region);
    m_target->setCurrentIndex(std::max(0, m_target->findData(target)));
    m_baseUrl->setText(s.baseUrl.toString());
    updateTargetControls();

    m_rate->setValue(s.rate.value_or(0));
    const auto windowMs = std::chrono::duration_cast<std::chrono::milliseconds>(s.window.value_or(std::chrono::seconds(1)));
    m_windowMs->setValue(int(windowMs.count()));
    m_tokenBucket->setChecked(s.tokenBucket);
    m_burst->setValue(s.burst);
    m_concurrency->setValue(s.concurrency);
    m_strategy->setCurrentIndex(std::max(0, m_strategy->findData(int(s.strategy))));
    m_batch->setChecked(s.batch);
    m_sharedBudget->setText(s.sharedBudget);
    rebuildCredentials();
    refreshScopes();
    m_loading = false;
}

void ApiSettingsPanel::updateTargetControls()
{
    const QString target = m_target->currentData().toString();
    m_baseUrl->setEnabled(target == kCustom);
    const bool sandbox = target == kSandbox;
    bool anyEnabled = false;
    for (auto it = m_secretFields.cbegin(); it != m_secretFields.cend(); ++it) {
        // The sandbox has its own API credentials, but a shared budget's Redis is real.
        // A secret from the environment is in use as it is.
        const bool enabled = (!sandbox || it.key() == RunSession::redisPasswordVariable())
                             && !m_credentials->fromEnvironment(RunSession::credentialKey(m_current, it.key()));
        it.value()->setEnabled(enabled);
        anyEnabled = anyEnabled || enabled;
    }
    m_saveSecrets->setEnabled(anyEnabled);
    m_keepSecrets->setEnabled(anyEnabled);
}

void ApiSettingsPanel::rebuildCredentials()
{
    while (m_secretForm->rowCount() > 0)
        m_secretForm->removeRow(0);
    m_secretFields.clear();
    for (const QString &variable : RunSession::credentialVariables(m_current)) {
        auto *field = new QLineEdit(this);
        field->setEchoMode(QLineEdit::Password);
        field->setPlaceholderText(tr("unchanged"));
        field->setAccessibleName(variable);
        m_secretForm->addRow(variable + QLatin1Char(':'), field);
        m_secretFields.insert(variable, field);
    }
    if (m_secretFields.isEmpty())
        m_secretForm->addRow(new QLabel(tr("This API needs no credentials."), this));
    auto *redis = new QLineEdit(this);
    redis->setEchoMode(QLineEdit::Password);
    redis->setPlaceholderText(tr("unchanged; only for a shared budget that needs AUTH"));
    redis->setAccessibleName(tr("Redis password of the shared budget"));
    m_secretForm->addRow(tr("Shared budget password:"), redis);
    m_secretFields.insert(RunSession::redisPasswordVariable(), redis);
    showCredentialSources();
    updateTargetControls();
}

void ApiSettingsPanel::showCredentialSources()
{
    // Where each secret in use comes from; never its value.
    QStringList environment;
    QStringList session;
    for (auto it = m_secretFields.cbegin(); it != m_secretFields.cend(); ++it) {
        switch (m_credentials->sourceOf(RunSession::credentialKey(m_current, it.key()))) {
        case CredentialStore::Source::Environment:
            it.value()->setPlaceholderText(tr("from environment"));
            it.value()->setToolTip(tr("%1 is set in the environment the console was started with.").arg(it.key()));
            environment << it.key();
            break;
        case CredentialStore::Source::Session:
            it.value()->setPlaceholderText(tr("this session only"));
            it.value()->setToolTip(tr("%1 is kept in memory until the console quits.").arg(it.key()));
            session << it.key();
            break;
        case CredentialStore::Source::Keychain:
            it.value()->setToolTip(QString());
            break;
        }
    }
    environment.sort();
    session.sort();
    QStringList lines;
    if (!environment.isEmpty())
        lines << tr("%1: from environment (the console was started with it set).")
                     .arg(environment.join(QLatin1String(", ")));
    if (!session.isEmpty())
        lines << tr("%1: this session only (in memory, never written).").arg(session.join(QLatin1String(", ")));
    if (lines.isEmpty())
        lines << tr("Secrets are kept in the system keychain, never in settings files.");
    m_secretStatus->setText(lines.join(QLatin1Char('\n')));
}

void ApiSettingsPanel::saveCredential(const QString &variable, const QString &value)
{
    QPointer<ApiSettingsPanel> self(this);
    QPointer<QLineEdit> field = m_secretFields.value(variable);
    m_credentials->write(RunSession::credentialKey(m_current, variable), value, [self, field, variable](const QString &error) {
        if (!self)
            return;
        // A refused secret stays in its field, for "this session only".
        if (error.isEmpty() && field)
            field->clear(); // the field must not keep the secret around
        self->showCredentialSources();
        if (error.isEmpty()) {
            self->m_secretStatus->setText(tr("%1 saved in the system keychain.").arg(variable));
        } else if (self->m_credentials->fromEnvironment(RunSession::credentialKey(self->m_current, variable))) {
            self->m_secretStatus->setText(error);
        } else {
            // Without a keychain there is still memory, and the way headroom-cli takes secrets.
            self->m_secretStatus->setText(
                tr("The keychain refused %1: %2\nUse it for this session only (kept in memory, never written), or "
                   "start the console from a terminal with %1 set in the environment, as for headroom-cli "
                   "(export %1=...; headroom).")
                    .arg(variable, error));
        }
    });
}

void ApiSettingsPanel::saveCredentials()
{
    for (auto it = m_secretFields.cbegin(); it != m_secretFields.cend(); ++it) {
        if (!it.value()->text().isEmpty())
            saveCredential(it.key(), it.value()->text());
    }
}

void ApiSettingsPanel::keepCredentialsForSession()
{
    for (auto it = m_secretFields.cbegin(); it != m_secretFields.cend(); ++it) {
        if (it.value()->text().isEmpty())
            continue;
        if (m_credentials->keepForSession(RunSession::credentialKey(m_current, it.key()), it.value()->text()))
            it.value()->clear();
    }
    showCredentialSources();
}

run::RunSettings ApiSettingsPanel::settingsOf(const QString &profile) const
{
    run::RunSettings current = settings();
    if (profile.isEmpty() || profile == current.profile)
        return current;
    run::RunSettings other;
    other.profile = profile;
    other.sandbox = current.sandbox;
    for (const run::RunSettings &s : allProfiles()) {
        if (s.profile == profile)
            other = s;
    }
    return other;
}

void ApiSettingsPanel::storeCurrent()
{
    if (!m_current.isEmpty())
        m_profiles.insert(m_current, settings());
}

run::RunSettings ApiSettingsPanel::settings() const
{
    run::RunSettings s = m_profiles.value(m_current, defaultsFor(m_current));
    s.profile = m_current;
    const QString target = m_target->currentData().toString();
    s.sandbox = target == kSandbox;
    s.region = (target == kSandbox || target == kCustom) ? QString() : target;
    s.baseUrl = target == kCustom ? QUrl(m_baseUrl->text().trimmed()) : QUrl();
    if (m_rate->value() > 0)
        s.rate = m_rate->value();
    else
        s.rate.reset();
    s.window = std::chrono::milliseconds(m_windowMs->value());
    s.tokenBucket = m_tokenBucket->isChecked();
    s.burst = m_burst->value();
    s.concurrency = m_concurrency->value();
    s.strategy = run::RunSettings::Strategy(m_strategy->currentData().toInt());
    s.batch = m_batch->isChecked();
    s.sharedBudget = m_sharedBudget->text().trimmed();
    return s;
}

void ApiSettingsPanel::setSettings(const run::RunSettings &settings)
{
    storeCurrent();
    m_profiles.insert(settings.profile, settings);
    showProfile(settings.profile);
}

QList<run::RunSettings> ApiSettingsPanel::allProfiles() const
{
    QHash<QString, run::RunSettings> all = m_profiles;
    all.insert(m_current, settings());
    return all.values();
}

void ApiSettingsPanel::setAllProfiles(const QList<run::RunSettings> &profiles)
{
    for (const run::RunSettings &s : profiles) {
        if (apis::ApiProfile::find(s.profile))
            m_profiles.insert(s.profile, s);
    }
    showProfile(m_current);
}

void ApiSettingsPanel::setRunning(bool running)
{
    m_running = running;
    // What cannot change on a live lane is locked while it runs.
    m_profile->setEnabled(!running);
    m_target->setEnabled(!running);
    m_baseUrl->setEnabled(!running && m_target->currentData().toString() == kCustom);
    m_tokenBucket->setEnabled(!running);
    m_burst->setEnabled(!running);
    m_strategy->setEnabled(!running);
    m_batch->setEnabled(!running);
    m_sharedBudget->setEnabled(!running);
}

} // namespace headroom::ui
