#include "core/run/ResumeTarget.h"

#include "core/apis/ApiProfile.h"

#include <QCoreApplication>

namespace headroom::run {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ResumeTarget", text);
}

// The same address, a trailing slash aside ("https://host/" is "https://host").
bool sameUrl(const QUrl &a, const QUrl &b)
{
    const auto path = [](const QUrl &url) {
        QString p = url.path(QUrl::FullyEncoded);
        while (p.endsWith(QLatin1Char('/')))
            p.chop(1);
        return p;
    };
    return a.scheme() == b.scheme() && a.host() == b.host() && a.port(443) == b.port(443) && path(a) == path(b)
           && a.query(QUrl::FullyEncoded) == b.query(QUrl::FullyEncoded) && a.userInfo().isEmpty() && b.userInfo().isEmpty();
}

QUrl profileDefault(const RunSettings &settings)
{
    const apis::ApiProfile *profile = apis::ApiProfile::find(settings.profile);
    return profile ? profile->baseUrl(settings.region) : QUrl();
}

QString shown(const QUrl &url)
{
    return url.toString(QUrl::RemoveUserInfo);
}

} // namespace

QString ResumeTarget::describe(const RunSettings &settings)
{
    if (settings.sandbox)
        return tr("the embedded sandbox");
    return shown(settings.baseUrl.isEmpty() ? profileDefault(settings) : settings.baseUrl);
}

QString ResumeTarget::refusal(const RunSettings &settings, const std::optional<QUrl> &confirmed)
{
    if (settings.sandbox) {
        if (confirmed)
            return tr("--base-url: this run used the embedded sandbox and resumes on it; drop --base-url");
        return {};
    }
    const QUrl fallback = profileDefault(settings);
    const QUrl target = settings.baseUrl.isEmpty() ? fallback : settings.baseUrl;
    if (confirmed) {
        if (sameUrl(*confirmed, target))
            return {};
        return tr("--base-url %1 is not the base URL of this run (%2 in run.json); nothing was sent")
            .arg(shown(*confirmed), shown(target));
    }
    if (settings.baseUrl.isEmpty() || (!fallback.isEmpty() && sameUrl(settings.baseUrl, fallback)))
        return {};
    const QString expected = fallback.isEmpty() ? tr("%1 has no default base URL").arg(settings.profile)
                                                : tr("the default of %1 is %2").arg(settings.profile, shown(fallback));
    return tr("run.json sends to %1 (%2): a resume sends your credentials there, so it needs that address "
              "repeated: --base-url %1; nothing was sent")
        .arg(shown(target), expected);
}

} // namespace headroom::run
