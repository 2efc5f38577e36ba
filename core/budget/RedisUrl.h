#pragma once

#include <QString>

#include <optional>

namespace headroom::budget {

// Where a shared budget lives: `redis[s]://[[user]:password@]HOST[:PORT][/DB]?key=NAME`
// (rediss: TLS, the server's certificate verified against the system's CAs).
// The URL is a setting, not a secret, but it may carry a password: redacted()
// is the only form that may reach run.json, logs or the screen.
struct RedisUrl
{
    QString host;
    quint16 port = 6379;
    int database = 0;
    QString key;                // the budget's name, chosen by the operator (one per lane scope)
    QString user;               // empty: the default user
    QString password;           // empty: no AUTH
    bool tls = false;           // rediss://
    double fallbackShare = 0.0; // ?share=0.5: this process's share while Redis is away; 0: limit ÷ processes

    static std::optional<RedisUrl> parse(const QString &text, QString *error);
    // The host is this machine (localhost, 127.0.0.0/8, ::1): a password
    // sent to it in clear crosses no network.
    bool isLoopback() const;
    // AUTH would carry the password in clear over a network (redis:// to
    // another host): refused unless the operator says --insecure-redis.
    bool sendsPasswordInClear() const { return !password.isEmpty() && !tls && !isLoopback(); }
    // The URL with any password replaced by "***".
    QString redacted() const;
    // The Redis keys of this budget. The {braces} keep both in one cluster slot.
    QByteArray budgetKey() const;
    QByteArray processesKey() const;
};

} // namespace headroom::budget
