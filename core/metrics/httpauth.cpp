#include "metrics/httpauth.h"

namespace qc::metrics {

void HttpAuth::apply(QNetworkRequest& request) const
{
    switch (kind) {
    case Kind::None:
        break;
    case Kind::Basic: {
        const QByteArray credentials = user.toUtf8() + ':' + password.toUtf8();
        request.setRawHeader("Authorization", "Basic " + credentials.toBase64());
    } break;
    case Kind::Bearer:
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        break;
    }
    if (prepare)
        prepare(request);
}

} // namespace qc::metrics
