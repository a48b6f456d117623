#pragma once

#include <QNetworkRequest>
#include <QString>

#include <functional>

namespace qc::metrics {

/// How to authenticate against a metrics endpoint or a Prometheus server. Secrets live in the
/// OS keychain; this struct only carries them for the duration of a request.
struct HttpAuth {
    enum class Kind { None, Basic, Bearer };
    Kind kind = Kind::None;
    QString user;
    QString password;
    QString token;
    /// Last say over the request, for what a header cannot express: a custom CA or a client
    /// certificate (QSslConfiguration), extra headers a proxy wants.
    std::function<void(QNetworkRequest&)> prepare;

    /// Sets the Authorization header and runs `prepare`.
    void apply(QNetworkRequest& request) const;
};

} // namespace qc::metrics
