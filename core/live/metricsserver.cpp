#include "metricsserver.h"

#include "httpnegotiation.h"
#include "metrics/gzip.h"
#include "metricsregistry.h"

#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace qc::live {

namespace {

// A request head larger than this is refused (431); Prometheus sends a few hundred bytes.
constexpr qsizetype kMaxHeadBytes = 16 * 1024;
// Request bodies are read and discarded; /metrics takes none.
constexpr qsizetype kMaxBodyBytes = 64 * 1024;

struct HttpRequest {
    QByteArray method;
    QByteArray path; // without the query
    int minorVersion = 1; // HTTP/1.x
    QHash<QByteArray, QByteArray> headers; // lower-case names; repeated ones joined with ", "
};

struct Response {
    int status = 200;
    QByteArray reason = "OK";
    QByteArray contentType = "text/plain; charset=utf-8";
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

QByteArray serialize(const Response& r, bool headOnly, bool close)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + r.reason + "\r\n";
    out += "Content-Type: " + r.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    for (const auto& [name, value] : r.headers)
        out += name + ": " + value + "\r\n";
    out += close ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    out += "\r\n";
    if (!headOnly)
        out += r.body;
    return out;
}

Response plain(int status, const QByteArray& reason, const QByteArray& body)
{
    Response r;
    r.status = status;
    r.reason = reason;
    r.body = body;
    return r;
}

// Parses the head (request line and header fields, without the blank line). False = malformed.
bool parseHead(const QByteArray& head, HttpRequest& request)
{
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray& line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    const QList<QByteArray> requestLine = lines.value(0).split(' ');
    if (requestLine.size() != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty())
        return false;
    request.method = requestLine[0];
    const QByteArray& version = requestLine[2];
    if (version == "HTTP/1.1")
        request.minorVersion = 1;
    else if (version == "HTTP/1.0")
        request.minorVersion = 0;
    else
        return false;
    QByteArray target = requestLine[1];
    // absolute-form (a proxy's way of asking): keep the path.
    if (target.startsWith("http://") || target.startsWith("https://")) {
        const qsizetype slash = target.indexOf('/', target.indexOf("//") + 2);
        target = slash < 0 ? QByteArray("/") : target.mid(slash);
    }
    const qsizetype query = target.indexOf('?');
    request.path = query < 0 ? target : target.left(query);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].isEmpty())
            continue;
        const qsizetype colon = lines[i].indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArray name = lines[i].left(colon).trimmed().toLower();
        const QByteArray value = lines[i].mid(colon + 1).trimmed();
        auto it = request.headers.find(name);
        if (it == request.headers.end())
            request.headers.insert(name, value);
        else
            *it += ", " + value;
    }
    return true;
}

bool wantsClose(const HttpRequest& request)
{
    const QByteArray connection = request.headers.value("connection").toLower();
    if (connection.contains("close"))
        return true;
    return request.minorVersion == 0 && !connection.contains("keep-alive");
}

} // namespace

MetricsServer::MetricsServer(const MetricsRegistry* registry, QObject* parent)
    : QObject(parent)
    , m_registry(registry)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server->nextPendingConnection())
            accept(socket);
    });
}

MetricsServer::~MetricsServer() = default;

QString MetricsServer::listen(const QHostAddress& address, quint16 port)
{
    if (m_server->isListening())
        m_server->close();
    if (!m_server->listen(address, port))
        return tr("cannot listen on %1 port %2: %3")
            .arg(address.toString())
            .arg(port)
            .arg(m_server->errorString());
    return {};
}

void MetricsServer::close()
{
    m_server->close();
}

bool MetricsServer::isListening() const
{
    return m_server->isListening();
}

quint16 MetricsServer::port() const
{
    return m_server->serverPort();
}

QUrl MetricsServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_server->serverAddress().toString());
    url.setPort(port());
    url.setPath(QStringLiteral("/metrics"));
    return url;
}

void MetricsServer::accept(QTcpSocket* socket)
{
    socket->setParent(this);
    auto buffer = std::make_shared<QByteArray>();
    auto* idle = new QTimer(socket);
    idle->setSingleShot(true);
    idle->setInterval(m_idleTimeout);
    connect(idle, &QTimer::timeout, socket, [socket] { socket->disconnectFromHost(); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer, idle] {
        idle->start();
        *buffer += socket->readAll();
        while (socket->state() == QAbstractSocket::ConnectedState) {
            qsizetype headEnd = buffer->indexOf("\r\n\r\n");
            qsizetype separator = 4;
            const qsizetype bare = buffer->indexOf("\n\n");
            if (bare >= 0 && (headEnd < 0 || bare < headEnd)) {
                headEnd = bare;
                separator = 2;
            }
            if (headEnd < 0) {
                if (buffer->size() > kMaxHeadBytes) {
                    socket->write(serialize(
                        plain(431, "Request Header Fields Too Large", "request head too large\n"),
                        false, true));
                    socket->disconnectFromHost();
                }
                return;
            }
            HttpRequest request;
            if (!parseHead(buffer->left(headEnd), request)) {
                socket->write(
                    serialize(plain(400, "Bad Request", "malformed HTTP request\n"), false, true));
                socket->disconnectFromHost();
                return;
            }
            if (request.headers.contains("transfer-encoding")) {
                socket->write(serialize(
                    plain(411, "Length Required", "request bodies need a Content-Length\n"), false,
                    true));
                socket->disconnectFromHost();
                return;
            }
            bool lengthOk = true;
            const qsizetype length
                = request.headers.value("content-length", "0").toLongLong(&lengthOk);
            if (!lengthOk || length < 0 || length > kMaxBodyBytes) {
                socket->write(
                    serialize(plain(400, "Bad Request", "bad Content-Length\n"), false, true));
                socket->disconnectFromHost();
                return;
            }
            const qsizetype total = headEnd + separator + length;
            if (buffer->size() < total)
                return; // the body is still coming
            buffer->remove(0, total);

            const bool close = wantsClose(request);
            const bool head = request.method == "HEAD";
            Response response;
            if (request.path != "/metrics") {
                response = plain(404, "Not Found", "not found; the metrics are at /metrics\n");
            } else if (request.method != "GET" && !head) {
                response = plain(405, "Method Not Allowed", "use GET or HEAD\n");
                response.headers.append(std::pair<QByteArray, QByteArray>("Allow", "GET, HEAD"));
            } else {
                const auto format = negotiateExposition(request.headers.value("accept"));
                response.contentType = contentTypeOf(format);
                response.body = m_registry->render(format);
                response.headers.append(
                    std::pair<QByteArray, QByteArray>("Vary", "Accept, Accept-Encoding"));
                response.headers.append(
                    std::pair<QByteArray, QByteArray>("Cache-Control", "no-store"));
                if (acceptsGzip(request.headers.value("accept-encoding"))) {
                    response.body = qc::metrics::gzip(response.body);
                    response.headers.append(
                        std::pair<QByteArray, QByteArray>("Content-Encoding", "gzip"));
                }
                ++m_scrapes;
            }
            socket->write(serialize(response, head, close));
            if (response.status == 200)
                Q_EMIT scraped();
            if (close) {
                socket->disconnectFromHost();
                return;
            }
        }
    });
    idle->start();
}

} // namespace qc::live
