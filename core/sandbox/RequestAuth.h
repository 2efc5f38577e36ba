#pragma once

#include "core/sandbox/HttpRequest.h"

#include <QString>

#include <optional>

namespace headroom::sandbox {

// Reads the credentials of a request's Authorization header.
class RequestAuth
{
public:
    struct Basic
    {
        QString user;
        QString password;
    };

    static std::optional<Basic> basic(const HttpRequest &request);
    // The token of "Authorization: Bearer <token>"; empty when absent.
    static QString bearer(const HttpRequest &request);
};

} // namespace headroom::sandbox
