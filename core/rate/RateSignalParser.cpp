#include "core/rate/RateSignalParser.h"

#include "core/rate/HttpDate.h"
#include "core/rate/StatedLimitText.h"
#include "core/rate/StructuredField.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QVarLengthArray>

#include <cmath>

namespace headroom::rate {

using namespace std::chrono_literals;

namespace {

constexpr qint64 kEpochSecondsFloor = 1'000'000'000;        // 2001-09-09: smaller is a delta
constexpr qint64 kEpochMillisecondsFloor = 100'000'000'000; // larger is milliseconds (year 5138 in s)

QString show(const QByteArray &value)
{
    QByteArray shown = value.left(40);
    for (char &c : shown) {
        if (c < 0x20 || c > 0x7e)
            c = '?';
    }
    return QString::fromLatin1(shown) + (value.size() > 40 ? QStringLiteral("...") : QString());
}

bool startsWithNoCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && text.first(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

// `header` is `prefix` followed by `suffix`, ignoring case.
bool named(QByteArrayView header, QByteArrayView prefix, QByteArrayView suffix)
{
    return header.size() == prefix.size() + suffix.size() && startsWithNoCase(header, prefix)
           && header.sliced(prefix.size()).compare(suffix, Qt::CaseInsensitive) == 0;
}

class HeaderReader
{
public:
    HeaderReader(const RateSignalParser::HeaderList &headers, RateSignals &out)
        : m_headers(headers)
        , m_out(out)
    {
        // One pass keeps the headers that can carry a rate signal; the
        // lookups below then scan those few instead of every header 14 times
        // (most APIs send none of them: Customer.io's answers have four headers).
        for (qsizetype i = 0; i < headers.size(); ++i) {
            const QByteArray &name = headers.at(i).first;
            const bool relevant = startsWithNoCase(name, "x-")
                                      ? startsWithNoCase(name, "x-ratelimit-")
                                      : (startsWithNoCase(name, "ratelimit") || startsWithNoCase(name, "retry-after"));
            if (relevant)
                m_relevant.append(i);
        }
    }

    // First value of a header, names compared case-insensitively; null if absent.
    QByteArray value(QByteArrayView name, QByteArrayView suffix = {}) const
    {
        for (const qsizetype i : m_relevant) {
            const auto &h = m_headers.at(i);
            if (named(h.first, name, suffix))
                return h.second.trimmed().isNull() ? QByteArray("") : h.second.trimmed();
        }
        return {};
    }

    // All values of a list-valued header, joined with ", " (RFC 9110 §5.3).
    QByteArray joined(QByteArrayView name) const
    {
        QByteArray all;
        for (const qsizetype i : m_relevant) {
            const auto &h = m_headers.at(i);
            if (named(h.first, name, {})) {
                if (!all.isNull())
                    all += ", ";
                all += h.second.trimmed().isNull() ? QByteArray("") : h.second.trimmed();
            }
        }
        return all;
    }

    void ignore(const QString &header, const QByteArray &value, const QString &why) const
    {
        m_out.ignored.append(QStringLiteral("%1: '%2' %3").arg(header, show(value), why));
    }

    // A count (limit, remaining, ...). Accepts "60" and the "60, 60;w=1" variant
    // some servers put in X-RateLimit-Limit (first item wins).
    std::optional<qint64> count(const QString &header, QByteArray v) const
    {
        const qsizetype cut = v.indexOf(',') >= 0 ? v.indexOf(',') : v.indexOf(';');
        if (cut >= 0)
            v = v.left(cut).trimmed();
        if (v.isEmpty()) {
            ignore(header, v, QCoreApplication::translate("RateSignalParser", "is empty"));
            return std::nullopt;
        }
        if (v.startsWith('-')) {
            ignore(header, v, QCoreApplication::translate("RateSignalParser", "is negative"));
            return std::nullopt;
        }
        for (char c : std::as_const(v)) {
            if (c < '0' || c > '9') {
                ignore(header, v, QCoreApplication::translate("RateSignalParser", "is not a whole number"));
                return std::nullopt;
            }
        }
        if (v.size() > 15) {
            ignore(header, v, QCoreApplication::translate("RateSignalParser", "is too large"));
            return std::nullopt;
        }
        return v.toLongLong();
    }

    // Non-negative seconds, integer or decimal ("1.5" is accepted though RFC 9110
    // allows only digits: several servers send it). Sets `decimal`.
    std::optional<double> seconds(const QString &header, const QByteArray &v, bool &decimal, bool quiet = false) const
    {
        decimal = false;
        if (v.isEmpty()) {
            if (!quiet)
                ignore(header, v, QCoreApplication::translate("RateSignalParser", "is empty"));
            return std::nullopt;
        }
        int dots = 0;
        for (qsizetype i = 0; i < v.size(); ++i) {
            const char c = v[i];
            if (c == '.' && i > 0 && i + 1 < v.size()) {
                ++dots;
            } else if (c == '-' && i == 0) {
                if (!quiet)
                    ignore(header, v, QCoreApplication::translate("RateSignalParser", "is negative"));
                return std::nullopt;
            } else if (c < '0' || c > '9') {
                return std::nullopt; // not a number: maybe a date; the caller decides
            }
        }
        if (dots > 1)
            return std::nullopt;
        if (v.size() > 20) {
            if (!quiet)
                ignore(header, v, QCoreApplication::translate("RateSignalParser", "is too long"));
            return std::nullopt;
        }
        decimal = dots == 1;
        bool ok = false;
        const double d = v.toDouble(&ok);
        if (!ok || !std::isfinite(d)) {
            if (!quiet)
                ignore(header, v, QCoreApplication::translate("RateSignalParser", "overflows"));
            return std::nullopt;
        }
        return d;
    }

private:
    const RateSignalParser::HeaderList &m_headers;
    RateSignals &m_out;
    QVarLengthArray<qsizetype, 8> m_relevant;
};

Duration fromSeconds(double s)
{
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

void parseRetryAfter(const HeaderReader &h, RateSignals &out, const Clock &clock,
                     const RateSignalParser::Config &config)
{
    const QByteArray v = h.value("retry-after");
    if (v.isNull())
        return;
    const QString name = QStringLiteral("Retry-After");
    const double maxSeconds = std::chrono::duration<double>(config.maxRetryAfter).count();
    bool decimal = false;
    if (auto s = h.seconds(name, v, decimal)) {
        if (*s > maxSeconds) {
            h.ignore(name, v, QCoreApplication::translate("RateSignalParser", "asks for a wait longer than %1 s").arg(qint64(maxSeconds)));
            return;
        }
        out.retryAfter = fromSeconds(*s);
        out.retryAfterAt = clock.now() + *out.retryAfter;
        return;
    }
    if (v.isEmpty() || v.startsWith('-'))
        return; // already explained by seconds()
    if (auto date = HttpDate::parse(v)) {
        const TimePoint at = clock.steadyFromWall(*date);
        const Duration wait = std::max(Duration::zero(), at - clock.now());
        if (wait > config.maxRetryAfter) {
            h.ignore(name, v, QCoreApplication::translate("RateSignalParser", "is a date more than %1 s away").arg(qint64(maxSeconds)));
            return;
        }
        out.retryAfter = wait;
        out.retryAfterAt = clock.now() + wait;
        return;
    }
    h.ignore(name, v, QCoreApplication::translate("RateSignalParser", "is neither delay-seconds nor an HTTP-date"));
}

// Reset: an HTTP date, epoch seconds/ms or delta seconds — decided by form and
// magnitude, since the header name does not say which.
void parseReset(const HeaderReader &h, const QString &name, const QByteArray &v, RateSignals &out,
                const Clock &clock, const RateSignalParser::Config &config)
{
    const double maxResetSeconds = std::chrono::duration<double>(config.maxResetIn).count();
    bool decimal = false;
    if (auto s = h.seconds(name, v, decimal)) {
        const double wallNowS =
            std::chrono::duration<double>(clock.wallNow().time_since_epoch()).count();
        double inSeconds = 0.0;
        ResetForm form = ResetForm::DeltaSeconds;
        Duration resolution = decimal ? Duration(1ms) : Duration(1s);
        if (*s >= double(kEpochMillisecondsFloor)) {
            form = ResetForm::EpochMilliseconds;
            inSeconds = *s / 1000.0 - wallNowS;
            resolution = 1ms;
        } else if (*s >= double(kEpochSecondsFloor)) {
            form = ResetForm::EpochSeconds;
            inSeconds = *s - wallNowS;
        } else {
            inSeconds = *s;
        }
        if (inSeconds > maxResetSeconds) {
            h.ignore(name, v, QCoreApplication::translate("RateSignalParser", "(%1) is more than %2 s away").arg(resetFormName(form)).arg(qint64(maxResetSeconds)));
            return;
        }
        if (inSeconds < -86400.0) {
            h.ignore(name, v, QCoreApplication::translate("RateSignalParser", "(%1) lies more than a day in the past").arg(resetFormName(form)));
            return;
        }
        out.resetAt = clock.now() + fromSeconds(std::max(0.0, inSeconds));
        out.resetForm = form;
        out.resetResolution = resolution;
        return;
    }
    if (v.isEmpty() || v.startsWith('-'))
        return;
    if (auto date = HttpDate::parse(v)) {
        const Duration in = std::chrono::duration_cast<Duration>(*date - clock.wallNow());
        if (in > config.maxResetIn) {
            h.ignore(name, v, QCoreApplication::translate("RateSignalParser", "is a date more than %1 s away").arg(qint64(maxResetSeconds)));
            return;
        }
        if (in < -std::chrono::hours(24)) {
            h.ignore(name, v, QCoreApplication::translate("RateSignalParser", "is a date more than a day in the past"));
            return;
        }
        out.resetAt = clock.now() + std::max(Duration::zero(), in);
        out.resetForm = ResetForm::HttpDate;
        out.resetResolution = 1s;
        return;
    }
    h.ignore(name, v, QCoreApplication::translate("RateSignalParser", "is neither a number nor a date"));
}

void parseLimitFamily(const HeaderReader &h, QByteArrayView prefix, const QString &shownPrefix,
                      RateSignals &out, const Clock &clock, const RateSignalParser::Config &config)
{
    auto fill = [&](std::optional<qint64> &field, const char *suffix, const char *shownSuffix) {
        const QByteArray v = h.value(prefix, suffix);
        if (v.isNull() || field)
            return;
        field = h.count(shownPrefix + QLatin1String(shownSuffix), v);
    };
    fill(out.limit, "limit", "Limit");
    fill(out.remaining, "remaining", "Remaining");
    fill(out.consumed, "consumed", "Consumed");
    fill(out.consumed, "used", "Used");
    const QByteArray reset = h.value(prefix, "reset");
    if (!reset.isNull() && !out.resetAt)
        parseReset(h, shownPrefix + QStringLiteral("Reset"), reset, out, clock, config);
}

// Collects the IETF policies of one response by name across the two headers
// that describe them. A value out of range is reported and left unset, so the
// rest of the policy still counts.
class IetfPolicies
{
public:
    IetfPolicies(const HeaderReader &h, const RateSignalParser::Config &config)
        : m_h(h)
        , m_maxResetS(std::chrono::duration_cast<std::chrono::seconds>(config.maxResetIn).count())
    {
    }

    void readPolicyHeader();
    void readRateLimitHeader();
    const QList<RateLimitPolicy> &policies() const { return m_policies; }

private:
    using Member = StructuredField::Member;

    static constexpr qint64 kMaxCount = 999'999'999'999'999;

    RateLimitPolicy &named(const QString &name);
    static std::optional<QString> nameOf(const Member &m);
    std::optional<qint64> nonNegative(const QString &header, const StructuredField::Item *item, const char *param,
                                      qint64 max) const;
    void readPolicyMember(const QString &header, const QByteArray &field, const Member &m);
    void readLegacyDictionary(const QString &header, const QList<Member> &dict);
    void readRateLimitList(const QString &header, const QByteArray &field, const QList<Member> &list);

    const HeaderReader &m_h;
    const qint64 m_maxResetS;
    QList<RateLimitPolicy> m_policies;
};

RateLimitPolicy &IetfPolicies::named(const QString &name)
{
    for (RateLimitPolicy &p : m_policies) {
        if (p.name == name)
            return p;
    }
    m_policies.append(RateLimitPolicy{});
    m_policies.last().name = name;
    return m_policies.last();
}

std::optional<QString> IetfPolicies::nameOf(const Member &m)
{
    using K = StructuredField::Item::Kind;
    if (m.value.kind == K::String || m.value.kind == K::Token)
        return QString::fromLatin1(m.value.text);
    return std::nullopt;
}

std::optional<qint64> IetfPolicies::nonNegative(const QString &header, const StructuredField::Item *item,
                                                const char *param, qint64 max) const
{
    if (!item)
        return std::nullopt;
    if (item->kind != StructuredField::Item::Kind::Integer || item->integer < 0 || item->integer > max) {
        m_h.ignore(header, QByteArray(param), QCoreApplication::translate("RateSignalParser", "must be an integer from 0 to %1").arg(max));
        return std::nullopt;
    }
    return item->integer;
}

void IetfPolicies::readPolicyHeader()
{
    const QByteArray field = m_h.joined("ratelimit-policy");
    if (field.isNull())
        return;
    QString error;
    const QString header = QStringLiteral("RateLimit-Policy");
    if (auto list = StructuredField::parseList(field, &error)) {
        for (const auto &m : std::as_const(*list))
            readPolicyMember(header, field, m);
    } else {
        m_h.ignore(header, field, QCoreApplication::translate("RateSignalParser", "is not a structured-field list (%1)").arg(error));
    }
}

void IetfPolicies::readPolicyMember(const QString &header, const QByteArray &field, const Member &m)
{
    if (m.value.kind == StructuredField::Item::Kind::Integer) { // older draft: "100;w=10"
        RateLimitPolicy &p = named(QString());
        p.quota = nonNegative(header, &m.value, "quota", kMaxCount);
        if (auto w = nonNegative(header, m.param("w"), "w", m_maxResetS))
            p.window = std::chrono::seconds(*w);
        return;
    }
    const auto name = nameOf(m);
    if (!name) {
        m_h.ignore(header, field, QCoreApplication::translate("RateSignalParser", "has a policy without a name"));
        return;
    }
    RateLimitPolicy &p = named(*name);
    p.quota = nonNegative(header, m.param("q"), "q", kMaxCount);
    if (auto w = nonNegative(header, m.param("w"), "w", m_maxResetS))
        p.window = std::chrono::seconds(*w);
    if (const auto *qu = m.param("qu"))
        p.quotaUnit = QString::fromLatin1(qu->text);
    if (const auto *pk = m.param("pk"))
        p.partitionKey = QString::fromLatin1(pk->text);
}

void IetfPolicies::readRateLimitHeader()
{
    const QByteArray field = m_h.joined("ratelimit");
    if (field.isNull())
        return;
    const QString header = QStringLiteral("RateLimit");
    QString error;
    // A dictionary is the older form only when it uses the older keys; a
    // current list of bare names also parses as a dictionary.
    auto dict = StructuredField::parseDictionary(field, nullptr);
    const bool isDictionary = dict && !dict->isEmpty()
                              && std::any_of(dict->cbegin(), dict->cend(), [](const Member &m) {
                                     return m.key == "limit" || m.key == "remaining" || m.key == "reset";
                                 });
    if (isDictionary)
        readLegacyDictionary(header, *dict);
    else if (auto list = StructuredField::parseList(field, &error))
        readRateLimitList(header, field, *list);
    else
        m_h.ignore(header, field, QCoreApplication::translate("RateSignalParser", "is not a structured-field list (%1)").arg(error));
}

// Draft -07 and older: limit=100, remaining=50, reset=5, for one unnamed policy.
void IetfPolicies::readLegacyDictionary(const QString &header, const QList<Member> &dict)
{
    RateLimitPolicy &p = named(QString());
    for (const auto &m : dict) {
        if (m.key == "limit")
            p.quota = nonNegative(header, &m.value, "limit", kMaxCount);
        else if (m.key == "remaining")
            p.remaining = nonNegative(header, &m.value, "remaining", kMaxCount);
        else if (m.key == "reset") {
            if (auto t = nonNegative(header, &m.value, "reset", m_maxResetS))
                p.resetIn = std::chrono::seconds(*t);
        }
    }
}

void IetfPolicies::readRateLimitList(const QString &header, const QByteArray &field, const QList<Member> &list)
{
    for (const auto &m : list) {
        const auto name = nameOf(m);
        if (!name) {
            m_h.ignore(header, field, QCoreApplication::translate("RateSignalParser", "has an entry without a policy name"));
            continue;
        }
        RateLimitPolicy &p = named(*name);
        p.remaining = nonNegative(header, m.param("r"), "r", kMaxCount);
        if (auto t = nonNegative(header, m.param("t"), "t", m_maxResetS))
            p.resetIn = std::chrono::seconds(*t);
    }
}

// The binding policy: the one with the fewest requests left (the later reset
// on a tie); a lone policy binds even without a count.
const RateLimitPolicy *bindingPolicy(const QList<RateLimitPolicy> &policies)
{
    const RateLimitPolicy *binding = nullptr;
    for (const RateLimitPolicy &p : policies) {
        if (!p.remaining)
            continue;
        if (!binding || *p.remaining < *binding->remaining
            || (*p.remaining == *binding->remaining && p.resetIn.value_or(Duration{}) > binding->resetIn.value_or(Duration{})))
            binding = &p;
    }
    if (!binding && policies.size() == 1)
        binding = &policies.first();
    return binding;
}

// IETF draft-ietf-httpapi-ratelimit-headers: RateLimit-Policy and RateLimit,
// both Lists of named policies; older drafts used a Dictionary
// (limit=, remaining=, reset=) or a bare integer quota. The binding policy
// fills only what another dialect has not already set.
void parseIetf(const HeaderReader &h, RateSignals &out, const Clock &clock, const RateSignalParser::Config &config)
{
    IetfPolicies policies(h, config);
    policies.readPolicyHeader();
    policies.readRateLimitHeader();
    if (policies.policies().isEmpty())
        return;
    out.policies = policies.policies();

    const RateLimitPolicy *binding = bindingPolicy(out.policies);
    if (!binding)
        return;
    if (!out.remaining && binding->remaining)
        out.remaining = binding->remaining;
    if (!out.limit && binding->quota)
        out.limit = binding->quota;
    if (!out.window && binding->window)
        out.window = binding->window;
    if (!out.resetAt && binding->resetIn) {
        out.resetAt = clock.now() + *binding->resetIn;
        out.resetForm = ResetForm::DeltaSeconds;
        out.resetResolution = 1s;
    }
}

void parseSegmentBody(const QByteArray &body, RateSignals &out, const Clock &clock,
                      const RateSignalParser::Config &config)
{
    if (body.isEmpty() || body.size() > config.maxBodyBytes
        || (!body.contains("msBeforeNext") && !body.contains("remainingPoints")))
        return;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return; // a body that merely mentions the words is not Segment's
    const QJsonArray errors = doc.object().value(QLatin1String("errors")).toArray();
    for (const QJsonValue &e : errors) {
        const QJsonObject data = e.toObject().value(QLatin1String("data")).toObject();
        if (data.isEmpty())
            continue;
        auto number = [&](QLatin1String key, qint64 max) -> std::optional<qint64> {
            const QJsonValue v = data.value(key);
            if (v.isUndefined() || v.isNull())
                return std::nullopt;
            const double d = v.toDouble(-1.0);
            if (!v.isDouble() || !std::isfinite(d) || d < 0 || d > double(max)) {
                out.ignored.append(QCoreApplication::translate("RateSignalParser", "body %1: '%2' is not a number from 0 to %3")
                                       .arg(key, show(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)))
                                       .arg(max));
                return std::nullopt;
            }
            return qint64(d);
        };
        const qint64 maxMs = std::chrono::duration_cast<std::chrono::milliseconds>(config.maxRetryAfter).count();
        if (auto ms = number(QLatin1String("msBeforeNext"), maxMs)) {
            out.msBeforeNext = std::chrono::milliseconds(*ms);
            out.nextWindowAt = clock.now() + *out.msBeforeNext;
        }
        out.remainingPoints = number(QLatin1String("remainingPoints"), 999'999'999'999);
        out.consumedPoints = number(QLatin1String("consumedPoints"), 999'999'999'999);
        return;
    }
}

} // namespace

RateSignals RateSignalParser::parse(int status, const HeaderList &headers, const QByteArray &body, const Clock &clock)
{
    return parse(status, headers, body, clock, Config{});
}

RateSignals RateSignalParser::parse(int status, const HeaderList &headers, const QByteArray &body, const Clock &clock,
                                    const Config &config)
{
    RateSignals out;
    out.status = status;
    const HeaderReader h(headers, out);
    parseRetryAfter(h, out, clock, config);
    parseLimitFamily(h, "x-ratelimit-", QStringLiteral("X-RateLimit-"), out, clock, config);
    parseLimitFamily(h, "ratelimit-", QStringLiteral("RateLimit-"), out, clock, config);
    parseIetf(h, out, clock, config);
    parseSegmentBody(body, out, clock, config);
    if (status == 429) {
        if (const std::optional<StatedLimit> stated = StatedLimitText::find(body)) {
            out.statedLimit = stated->limit;
            out.statedWindow = stated->window;
        }
    }
    if (!out.remaining && out.remainingPoints)
        out.remaining = out.remainingPoints;
    if (!out.consumed && out.consumedPoints)
        out.consumed = out.consumedPoints;
    return out;
}

} // namespace headroom::rate
