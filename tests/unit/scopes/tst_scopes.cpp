#include "core/clock/DurationText.h"
#include "core/scopes/LimitsFile.h"
#include "core/scopes/PathTemplate.h"
#include "core/scopes/ProfileScopes.h"
#include "core/scopes/ScopeSet.h"
#include "core/scopes/ScopeWindowText.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using headroom::DurationText;
using headroom::scopes::LimitsFile;
using headroom::scopes::LimitsResult;
using headroom::scopes::PathTemplate;
using headroom::scopes::ProfileScopes;
using headroom::scopes::ScopeMatch;
using headroom::scopes::ScopeSet;
using headroom::scopes::ScopeSpec;
using headroom::scopes::ScopeWindow;
using headroom::scopes::ScopeWindowText;

namespace {

QString windowsText(const QList<ScopeWindow> &windows)
{
    QStringList out;
    for (const ScopeWindow &w : windows)
        out << QString::number(w.limit) + QLatin1Char('/') + DurationText::format(w.per);
    return out.join(QLatin1Char(','));
}

// One line per scope: "name | match | key | windows".
QStringList describe(const ScopeSet &set)
{
    QStringList out;
    for (const ScopeSpec &s : set.scopes())
        out << QStringList{s.name(), s.matchText(), s.keyVariable(), windowsText(s.windows())}.join(QLatin1String(" | "));
    return out;
}

QStringList matchKeys(const QList<ScopeMatch> &matches)
{
    QStringList out;
    for (const ScopeMatch &m : matches)
        out << m.key;
    return out;
}

ScopeSet genericSet()
{
    return ProfileScopes::forProfile(QStringLiteral("generic"));
}

} // namespace

class TestScopes : public QObject
{
    Q_OBJECT
private slots:
    void templateMatch_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("matches");
        QTest::addColumn<QString>("bindings"); // "name=value" sorted, joined by ';'
        QTest::newRow("exact") << "/v1/send/email"
                               << "/v1/send/email" << true << "";
        QTest::newRow("other literal") << "/v1/send/email"
                                       << "/v1/send/sms" << false << "";
        QTest::newRow("longer path") << "/v1/send/email"
                                     << "/v1/send/email/x" << false << "";
        QTest::newRow("shorter path") << "/v1/send/email"
                                      << "/v1/send" << false << "";
        QTest::newRow("case of a literal") << "/v1/send/email"
                                           << "/V1/send/email" << false << "";
        QTest::newRow("root") << "/"
                              << "/" << true << "";
        QTest::newRow("relative path") << "/v1/send/email"
                                       << "v1/send/email" << false << "";
        QTest::newRow("variable") << "/v1/campaigns/{id}/triggers"
                                  << "/v1/campaigns/42/triggers" << true << "id=42";
        QTest::newRow("two variables") << "/spaces/{space}/audiences/{audience}"
                                       << "/spaces/s1/audiences/a2" << true
                                       << "audience=a2;space=s1";
        QTest::newRow("empty variable") << "/v1/campaigns/{id}/triggers"
                                        << "/v1/campaigns//triggers" << false << "";
        QTest::newRow("variable is one segment") << "/v1/campaigns/{id}/triggers"
                                                 << "/v1/campaigns/4/2/triggers"
                                                 << false << "";
        QTest::newRow("trailing slash on path") << "/v1/send/email"
                                                << "/v1/send/email/" << true << "";
        QTest::newRow("trailing slash on template") << "/labels/"
                                                    << "/labels" << true << "";
        QTest::newRow("two trailing slashes") << "/labels"
                                              << "/labels//" << false << "";
        QTest::newRow("query ignored") << "/labels"
                                       << "/labels?limit=10&x=/a" << true << "";
        QTest::newRow("fragment ignored") << "/labels"
                                          << "/labels#top" << true << "";
        QTest::newRow("dot segment") << "/v1/campaigns/{id}/triggers"
                                     << "/v1/campaigns/./triggers" << false << "";
        QTest::newRow("dot-dot segment") << "/v1/send/email"
                                         << "/v1/x/../send/email" << false << "";
        QTest::newRow("encoded dot-dot") << "/v1/campaigns/{id}/triggers"
                                         << "/v1/campaigns/%2E%2e/triggers" << false
                                         << "";
        QTest::newRow("dots inside a segment") << "/v1/campaigns/{id}/triggers"
                                               << "/v1/campaigns/a..b/triggers"
                                               << true << "id=a..b";
        QTest::newRow("encoded literal") << "/v1/send/email"
                                         << "/v1/send/%65mail" << true << "";
        QTest::newRow("encoded slash stays in its segment") << "/v1/campaigns/{id}/triggers"
                                                            << "/v1/campaigns/4%2F2/triggers" << true << "id=4/2";
        QTest::newRow("encoded UTF-8") << "/users/{id}"
                                       << "/users/J%C3%B6rg" << true << QString::fromUtf8("id=Jörg");
    }

    void templateMatch()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, path);
        QFETCH(bool, matches);
        QFETCH(QString, bindings);
        QString error;
        const std::optional<PathTemplate> t = PathTemplate::parse(pattern, &error);
        QVERIFY2(t, qPrintable(error));
        const std::optional<PathTemplate::Bindings> got = t->match(path);
        QCOMPARE(got.has_value(), matches);
        if (!got)
            return;
        QStringList pairs;
        for (auto it = got->begin(); it != got->end(); ++it)
            pairs << it.key() + QLatin1Char('=') + it.value();
        pairs.sort();
        QCOMPARE(pairs.join(QLatin1Char(';')), bindings);
    }

    void templateParse_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("error"); // empty: valid
        QTest::newRow("literal") << "/v1/send/email"
                                 << "";
        QTest::newRow("variables") << "/spaces/{space_id}/audiences/{a2}"
                                   << "";
        QTest::newRow("no leading slash") << "v1/send"
                                          << "a path template starts with '/'";
        QTest::newRow("empty variable name") << "/a/{}/b"
                                             << "\"\" is not a variable name (letters, digits, '_')";
        QTest::newRow("variable name starts with a digit") << "/a/{1x}"
                                                           << "\"1x\" is not a variable name (letters, digits, '_')";
        QTest::newRow("variable twice") << "/a/{id}/b/{id}"
                                        << "variable \"id\" appears twice";
        QTest::newRow("variable inside a segment") << "/a/x{id}"
                                                   << "a variable is a whole segment, as in /{id}/";
        QTest::newRow("dot-dot") << "/a/../b"
                                 << "a path template has no '.' or '..' segment";
        QTest::newRow("encoded dot") << "/a/%2e"
                                     << "a path template has no '.' or '..' segment";
        QTest::newRow("empty segment") << "/a//b"
                                       << "a path template has no empty segment";
        QTest::newRow("query") << "/a?x=1"
                               << "a path template has no query or fragment";
    }

    void templateParse()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, error);
        QString got;
        const std::optional<PathTemplate> t = PathTemplate::parse(pattern, &got);
        QCOMPARE(t.has_value(), error.isEmpty());
        QCOMPARE(got, error);
    }

    void keys_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("app broadcast") << "customerio-app"
                                       << "POST"
                                       << "/v1/campaigns/42/triggers"
                                       << QStringList{"broadcasts:campaign=42"};
        QTest::newRow("app broadcast, other campaign") << "customerio-app"
                                                       << "POST"
                                                       << "/v1/campaigns/7/triggers"
                                                       << QStringList{"broadcasts:campaign=7"};
        QTest::newRow("app method in lower case") << "customerio-app"
                                                  << "post"
                                                  << "/v1/campaigns/42/triggers"
                                                  << QStringList{"broadcasts:campaign=42"};
        QTest::newRow("app other method") << "customerio-app"
                                          << "GET"
                                          << "/v1/campaigns/42/triggers"
                                          << QStringList{"main"};
        QTest::newRow("app key value encoded") << "customerio-app"
                                               << "POST"
                                               << "/v1/campaigns/a:b%3D c/triggers"
                                               << QStringList{"broadcasts:campaign=a%3Ab%3D%20c"};
        QTest::newRow("app transactional") << "customerio-app"
                                           << "POST"
                                           << "/v1/send/email?x=1"
                                           << QStringList{"transactional"};
        QTest::newRow("app other endpoint") << "customerio-app"
                                            << "GET"
                                            << "/v1/customers/1/attributes"
                                            << QStringList{"main"};
        QTest::newRow("app dot segments go to main") << "customerio-app"
                                                     << "POST"
                                                     << "/v1/campaigns/%2e%2e/triggers"
                                                     << QStringList{"main"};
        QTest::newRow("segment labels") << "segment-public"
                                        << "GET"
                                        << "/labels" << QStringList{"main", "labels"};
        QTest::newRow("segment warehouse syncs") << "segment-public"
                                                 << "GET"
                                                 << "/warehouses/w1/syncs"
                                                 << QStringList{"main", "warehouse-syncs"};
        QTest::newRow("segment audience preview") << "segment-public"
                                                  << "POST"
                                                  << "/spaces/sp/audiences/previews"
                                                  << QStringList{"main", "audience-previews"};
        QTest::newRow("segment other endpoint") << "segment-public"
                                                << "GET"
                                                << "/sources" << QStringList{"main"};
        QTest::newRow("track") << "customerio-track"
                               << "PUT"
                               << "/api/v1/customers/7" << QStringList{"main"};
        QTest::newRow("generic") << "generic"
                                 << "DELETE"
                                 << "/anything/at/all" << QStringList{"main"};
        QTest::newRow("unknown profile") << "nope"
                                         << "GET"
                                         << "/" << QStringList{"main"};
    }

    void keys()
    {
        QFETCH(QString, profile);
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(QStringList, expected);
        QCOMPARE(matchKeys(ProfileScopes::forProfile(profile).matching(method, path)), expected);
    }

    void profileTables_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QStringList>("scopes");
        QTest::newRow("customerio-app") << "customerio-app"
                                        << QStringList{"main | rest |  | 10/1s",
                                                       "transactional | POST /v1/send/email |  | 100/1s",
                                                       "broadcasts | POST /v1/campaigns/{campaign}/triggers | campaign | 1/10s"};
        QTest::newRow("customerio-track") << "customerio-track" << QStringList{"main | * |  | 100/1s"};
        QTest::newRow("segment-public")
            << "segment-public"
            << QStringList{"main | * |  | 30/10s",
                           "warehouse-syncs | /warehouses/{warehouseId}/syncs |  | 2/60s",
                           "destination-subscriptions | /destinations/{destinationId}/subscriptions |  | 5/60s",
                           "audience-previews | POST /spaces/{spaceId}/audiences/previews |  | 5/60s",
                           "computed-traits | POST /spaces/{spaceId}/computed-traits |  | 10/60s",
                           "reverse-etl-syncs | POST /reverse-etl-models/sync |  | 20/60s",
                           "labels | /labels |  | 60/60s",
                           "users | /users |  | 60/60s",
                           "groups | /groups |  | 60/60s",
                           "event-volume | /events/volume |  | 60/60s",
                           "regulations | /regulations |  | 600/60s"};
        QTest::newRow("segment-tracking") << "segment-tracking" << QStringList{"main | rest |  | "};
        QTest::newRow("customerio-pipelines") << "customerio-pipelines" << QStringList{"main | * |  | 3000/3s"};
        QTest::newRow("generic") << "generic" << QStringList{"main | rest |  | "};
    }

    void profileTables()
    {
        QFETCH(QString, profile);
        QFETCH(QStringList, scopes);
        QCOMPARE(describe(ProfileScopes::forProfile(profile)), scopes);
    }

    void windowsCarriedByMatches()
    {
        ScopeSet set = genericSet();
        set.setMainWindows({{5, std::chrono::seconds(1)}, {100, std::chrono::minutes(1)}, {10000, std::chrono::hours(24)}});
        const QList<ScopeMatch> got = set.matching(QStringLiteral("GET"), QStringLiteral("/x"));
        QCOMPARE(got.size(), 1);
        QCOMPARE(windowsText(got.first().windows), QStringLiteral("5/1s,100/60s,10000/86400s"));
    }

    void limitsValid_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("json");
        QTest::addColumn<QStringList>("scopes");
        QTest::newRow("nothing to change") << "generic"
                                           << R"({"scopes":[]})" << QStringList{"main | rest |  | "};
        QTest::newRow("generic: main and a scope per campaign")
            << "generic"
            << R"({"scopes":[{"name":"main","windows":[{"limit":20,"per":"1s"}]},
                  {"name":"broadcasts","match":"post /v1/campaigns/{id}/triggers","key":"id",
                   "windows":[{"limit":1,"per":"10s"}]}]})"
            << QStringList{"main | rest |  | 20/1s", "broadcasts | POST /v1/campaigns/{id}/triggers | id | 1/10s"};
        QTest::newRow("several windows, every spelling of per")
            << "generic"
            << R"({"scopes":[{"name":"main","match":"*","windows":[{"limit":5,"per":"500ms"},{"limit":100,"per":"1m"},
                  {"limit":1000,"per":"1h"},{"limit":10000,"per":"1d"},{"limit":90000,"per":"1.5d"}]}]})"
            << QStringList{"main | * |  | 5/500ms,100/60s,1000/3600s,10000/86400s,90000/129600s"};
        QTest::newRow("override windows only")
            << "customerio-app"
            << R"({"profile":"customerio-app","scopes":[{"name":"broadcasts","windows":[{"limit":1,"per":"15s"},{"limit":100,"per":"1d"}]}]})"
            << QStringList{"main | rest |  | 10/1s", "transactional | POST /v1/send/email |  | 100/1s",
                           "broadcasts | POST /v1/campaigns/{campaign}/triggers | campaign | 1/15s,100/86400s"};
        QTest::newRow("override match drops the old key")
            << "customerio-app"
            << R"({"scopes":[{"name":"broadcasts","match":"POST /v2/campaigns/{c}/triggers"}]})"
            << QStringList{"main | rest |  | 10/1s", "transactional | POST /v1/send/email |  | 100/1s",
                           "broadcasts | POST /v2/campaigns/{c}/triggers |  | 1/10s"};
        QTest::newRow("main takes every request")
            << "customerio-app"
            << R"({"scopes":[{"name":"main","match":"*"}]})"
            << QStringList{"main | * |  | 10/1s", "transactional | POST /v1/send/email |  | 100/1s",
                           "broadcasts | POST /v1/campaigns/{campaign}/triggers | campaign | 1/10s"};
        QTest::newRow("a daily cap over every request")
            << "customerio-track"
            << R"({"scopes":[{"name":"daily","match":"*","windows":[{"limit":1000000,"per":"1d"}]}]})"
            << QStringList{"main | * |  | 100/1s", "daily | * |  | 1000000/86400s"};
    }

    void limitsValid()
    {
        QFETCH(QString, profile);
        QFETCH(QString, json);
        QFETCH(QStringList, scopes);
        const LimitsResult r = LimitsFile::parse(json.toUtf8(), QStringLiteral("limits.json"), profile,
                                                 ProfileScopes::forProfile(profile));
        QVERIFY2(r.ok(), qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(describe(r.scopes), scopes);
    }

    void limitsOverrideChangesMatching()
    {
        const LimitsResult r = LimitsFile::parse(
            R"({"scopes":[{"name":"main","match":"*"},{"name":"sms","match":"POST /v1/send/sms","windows":[{"limit":50,"per":"1s"}]}]})",
            QStringLiteral("limits.json"), QStringLiteral("customerio-app"),
            ProfileScopes::forProfile(QStringLiteral("customerio-app")));
        QVERIFY(r.ok());
        QCOMPARE(matchKeys(r.scopes.matching(QStringLiteral("POST"), QStringLiteral("/v1/send/sms"))),
                 QStringList({"main", "sms"}));
        QCOMPARE(matchKeys(r.scopes.matching(QStringLiteral("POST"), QStringLiteral("/v1/campaigns/3/triggers"))),
                 QStringList({"main", "broadcasts:campaign=3"}));
    }

    void limitsErrors_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QStringList>("errors");
        const QString f = QStringLiteral("limits.json: ");
        QTest::newRow("not JSON") << "{\"scopes\": [" << QStringList{"limits.json:1:13: is not JSON: unterminated array"};
        QTest::newRow("not JSON, line 3") << "{\n  \"scopes\": [\n    {\"name\": main}]}"
                                          << QStringList{"limits.json:3:14: is not JSON: illegal number"};
        QTest::newRow("not an object") << "[]" << QStringList{f + "must be an object with \"scopes\""};
        QTest::newRow("no scopes") << "{}" << QStringList{f + "scopes: must be an array of scopes"};
        QTest::newRow("unknown top-level field") << R"({"scope":[],"scopes":[]})"
                                                 << QStringList{f + "unknown field \"scope\""};
        QTest::newRow("other profile") << R"({"profile":"segment-public","scopes":[]})"
                                       << QStringList{f + "profile: is \"segment-public\" but the run uses \"customerio-app\""};
        QTest::newRow("scope not an object") << R"({"scopes":[3]})" << QStringList{f + "scopes[0]: must be an object"};
        QTest::newRow("name missing") << R"({"scopes":[{"match":"*","windows":[{"limit":1,"per":"1s"}]}]})"
                                      << QStringList{f + "scopes[0]: name: missing"};
        QTest::newRow("bad name") << R"({"scopes":[{"name":"Big Name","match":"*","windows":[{"limit":1,"per":"1s"}]}]})"
                                  << QStringList{f + "scopes[0]: name: must be 1 to 64 lower-case letters, digits, '-' or '_', "
                                                     "starting with a letter or digit"};
        QTest::newRow("name twice")
            << R"({"scopes":[{"name":"main","windows":[{"limit":1,"per":"1s"}]},{"name":"main","windows":[{"limit":2,"per":"1s"}]}]})"
            << QStringList{f + "scopes[1] \"main\": name: is given again after scopes[0]"};
        QTest::newRow("unknown scope field") << R"({"scopes":[{"name":"main","windos":[]}]})"
                                             << QStringList{f + "scopes[0] \"main\": unknown field \"windos\"",
                                                            f + "scopes[0] \"main\": gives none of match, key or windows"};
        QTest::newRow("new scope without match") << R"({"scopes":[{"name":"x","windows":[{"limit":1,"per":"1s"}]}]})"
                                                 << QStringList{f + "scopes[0] \"x\": match: missing: a new scope needs "
                                                                    "\"METHOD /path\", \"/path\" or \"*\""};
        QTest::newRow("new scope without windows") << R"({"scopes":[{"name":"x","match":"/x"}]})"
                                                   << QStringList{f + "scopes[0] \"x\": windows: missing: a new scope needs at least one window"};
        QTest::newRow("match not a string") << R"({"scopes":[{"name":"transactional","match":1}]})"
                                            << QStringList{f + "scopes[0] \"transactional\": match: must be a string such as "
                                                               "\"POST /v1/campaigns/{id}/triggers\""};
        QTest::newRow("bad method") << R"({"scopes":[{"name":"transactional","match":"P0ST /v1/send/email"}]})"
                                    << QStringList{f + "scopes[0] \"transactional\": match: \"P0ST\" is not an HTTP method"};
        QTest::newRow("bad template") << R"({"scopes":[{"name":"transactional","match":"POST /v1/../email"}]})"
                                      << QStringList{f + "scopes[0] \"transactional\": match: \"/v1/../email\": a path "
                                                         "template has no '.' or '..' segment"};
        QTest::newRow("rest on another scope") << R"({"scopes":[{"name":"transactional","match":"rest"}]})"
                                               << QStringList{f + "scopes[0] \"transactional\": match: \"rest\" is for the main scope only"};
        QTest::newRow("template on main") << R"({"scopes":[{"name":"main","match":"GET /x"}]})"
                                          << QStringList{f + "scopes[0] \"main\": match: the main scope takes \"*\" or \"rest\""};
        QTest::newRow("key not a variable") << R"({"scopes":[{"name":"broadcasts","key":"id"}]})"
                                            << QStringList{f + "scopes[0] \"broadcasts\": key: \"id\" is not a variable of "
                                                               "/v1/campaigns/{campaign}/triggers"};
        QTest::newRow("key without a path") << R"({"scopes":[{"name":"main","key":"id"}]})"
                                            << QStringList{f + "scopes[0] \"main\": key: needs a path with variables in match"};
        QTest::newRow("windows empty") << R"({"scopes":[{"name":"main","windows":[]}]})"
                                       << QStringList{f + "scopes[0] \"main\": windows: must be a non-empty array of {\"limit\", \"per\"}"};
        QTest::newRow("too many windows")
            << R"({"scopes":[{"name":"main","windows":[{},{},{},{},{},{},{},{},{}]}]})"
            << QStringList{f + "scopes[0] \"main\": windows: has 9 windows, at most 8"};
        QTest::newRow("window not an object") << R"({"scopes":[{"name":"main","windows":["1/s"]}]})"
                                              << QStringList{f + "scopes[0] \"main\": windows[0]: must be an object {\"limit\", \"per\"}"};
        QTest::newRow("window fields missing") << R"({"scopes":[{"name":"main","windows":[{}]}]})"
                                               << QStringList{f + "scopes[0] \"main\": windows[0].limit: missing",
                                                              f + "scopes[0] \"main\": windows[0].per: missing"};
        QTest::newRow("limit zero") << R"({"scopes":[{"name":"main","windows":[{"limit":0,"per":"1s"}]}]})"
                                    << QStringList{f + "scopes[0] \"main\": windows[0].limit: must be a whole number from 1 to 1000000000"};
        QTest::newRow("limit fractional") << R"({"scopes":[{"name":"main","windows":[{"limit":1.5,"per":"1s"}]}]})"
                                          << QStringList{f + "scopes[0] \"main\": windows[0].limit: must be a whole number from 1 to 1000000000"};
        QTest::newRow("limit a string") << R"({"scopes":[{"name":"main","windows":[{"limit":"10","per":"1s"}]}]})"
                                        << QStringList{f + "scopes[0] \"main\": windows[0].limit: must be a whole number from 1 to 1000000000"};
        const QString perMessage = QStringLiteral(
            "windows[0].per: must be a duration from 1ms to 366d such as \"1s\", \"10s\", \"1m\", \"1d\"");
        QTest::newRow("per not a duration") << R"({"scopes":[{"name":"main","windows":[{"limit":1,"per":"10x"}]}]})"
                                            << QStringList{f + "scopes[0] \"main\": " + perMessage};
        QTest::newRow("per zero") << R"({"scopes":[{"name":"main","windows":[{"limit":1,"per":"0s"}]}]})"
                                  << QStringList{f + "scopes[0] \"main\": " + perMessage};
        QTest::newRow("per over a year") << R"({"scopes":[{"name":"main","windows":[{"limit":1,"per":"367d"}]}]})"
                                         << QStringList{f + "scopes[0] \"main\": " + perMessage};
        QTest::newRow("per a number") << R"({"scopes":[{"name":"main","windows":[{"limit":1,"per":10}]}]})"
                                      << QStringList{f + "scopes[0] \"main\": " + perMessage};
        QTest::newRow("unknown window field") << R"({"scopes":[{"name":"main","windows":[{"limit":1,"per":"1s","burst":2}]}]})"
                                              << QStringList{f + "scopes[0] \"main\": windows[0]: unknown field \"burst\""};
        QTest::newRow("same per twice") << R"({"scopes":[{"name":"main","windows":[{"limit":1,"per":"60s"},{"limit":2,"per":"1m"}]}]})"
                                        << QStringList{f + "scopes[0] \"main\": windows[1].per: 1m is given twice"};
        QTest::newRow("several errors at once")
            << R"({"profile":"generic","scopes":[{"name":"main","windows":[{"limit":-1,"per":"1s"}]},
                  {"name":"ok","match":"/ok","windows":[{"limit":1,"per":"1s"}]},
                  {"name":"bad","match":"GET /a/{x}/b","key":"y","windows":[{"limit":1}]}]})"
            << QStringList{f + "profile: is \"generic\" but the run uses \"customerio-app\"",
                           f + "scopes[0] \"main\": windows[0].limit: must be a whole number from 1 to 1000000000",
                           f + "scopes[2] \"bad\": key: \"y\" is not a variable of /a/{x}/b",
                           f + "scopes[2] \"bad\": windows[0].per: missing"};
    }

    void limitsErrors()
    {
        QFETCH(QString, json);
        QFETCH(QStringList, errors);
        const ScopeSet base = ProfileScopes::forProfile(QStringLiteral("customerio-app"));
        const LimitsResult r = LimitsFile::parse(json.toUtf8(), QStringLiteral("limits.json"),
                                                 QStringLiteral("customerio-app"), base);
        QCOMPARE(r.errors, errors);
        QCOMPARE(describe(r.scopes), describe(base)); // all or nothing
    }

    void tooManyScopes()
    {
        QByteArray json = "{\"scopes\":[";
        for (int i = 0; i <= LimitsFile::MaxScopes; ++i)
            json += (i ? ",{}" : "{}");
        json += "]}";
        const LimitsResult r = LimitsFile::parse(json, QStringLiteral("limits.json"), QStringLiteral("generic"), genericSet());
        QCOMPARE(r.errors, QStringList{"limits.json: scopes: has 257 entries, at most 256"});
    }

    void loadFiles_data()
    {
        QTest::addColumn<QByteArray>("content"); // empty: no file
        QTest::addColumn<QString>("error");      // %1 is the path; empty: valid
        QTest::newRow("valid") << QByteArray(R"({"scopes":[{"name":"main","windows":[{"limit":3,"per":"1s"}]}]})") << "";
        QTest::newRow("missing") << QByteArray() << "%1: cannot be read: No such file or directory";
        QByteArray big = "{\"scopes\":[]}";
        big += QByteArray(LimitsFile::MaxBytes, ' ');
        QTest::newRow("larger than 1 MiB") << big << "%1: is larger than 1048576 bytes";
    }

    void loadFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, error);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("limits.json"));
        if (!content.isEmpty()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        const LimitsResult r = LimitsFile::load(path, QStringLiteral("generic"), genericSet());
        if (error.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.errors.join(QLatin1Char('\n'))));
            QCOMPARE(describe(r.scopes), QStringList{"main | rest |  | 3/1s"});
        } else {
            QCOMPARE(r.errors, QStringList{error.arg(path)});
        }
    }

    void windowText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("windows"); // as windowsText, or the error
        QTest::newRow("one") << "10 per 1s"
                             << "10/1s";
        QTest::newRow("several, spaced freely") << " 1 per 10s,  500 per 1d "
                                                << "1/10s,500/86400s";
        QTest::newRow("minutes") << "60 per 1m"
                                 << "60/60s";
        QTest::newRow("not a number") << "ten per 1s"
                                      << "error: 'ten per 1s' is not \"N per DURATION\" (e.g. 10 per 1s)";
        QTest::newRow("zero") << "0 per 1s"
                              << "error: '0 per 1s' is not \"N per DURATION\" (e.g. 10 per 1s)";
        QTest::newRow("every mistake at once") << "5 every 1s, 3 per soon"
                                               << "error: '5 every 1s' is not \"N per DURATION\" (e.g. 10 per 1s); "
                                                  "'3 per soon' is not \"N per DURATION\" (e.g. 10 per 1s)";
        QTest::newRow("empty") << ""
                               << "error: no window: give \"N per DURATION\" (e.g. 10 per 1s)";
    }

    void windowText()
    {
        QFETCH(QString, text);
        QFETCH(QString, windows);
        QString error;
        const auto parsed = ScopeWindowText::parse(text, &error);
        QCOMPARE(parsed ? windowsText(*parsed) : QStringLiteral("error: ") + error, windows);
        if (parsed)
            QCOMPARE(ScopeWindowText::parse(ScopeWindowText::format(*parsed), nullptr), parsed);
    }

    void applyLimitsOverridesByName()
    {
        ScopeSet set = ProfileScopes::forProfile(QStringLiteral("customerio-app"));
        const QStringList refused = set.applyLimits({{QStringLiteral("broadcasts"), {{2, std::chrono::seconds(20)}}},
                                                     {QStringLiteral("main"), {{1, std::chrono::seconds(1)}}},
                                                     {QStringLiteral("nope"), {{1, std::chrono::seconds(1)}}}});
        QCOMPARE(refused, (QStringList{"main", "nope"}));
        QCOMPARE(windowsText(set.find(QStringLiteral("broadcasts"))->windows()), QStringLiteral("2/20s"));
        QCOMPARE(windowsText(set.main().windows()), QStringLiteral("10/1s"));
        QCOMPARE(set.find(QStringLiteral("broadcasts"))->keyVariable(), QStringLiteral("campaign"));
    }
};

QTEST_GUILESS_MAIN(TestScopes)
#include "tst_scopes.moc"
