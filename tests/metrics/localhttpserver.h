#pragma once

// A tiny HTTP/1.1 server on 127.0.0.1 for the network tests: each path answers with a canned
// response, every request is recorded, and a "hang" response never answers (for timeouts).

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

struct CannedResponse {
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool hang = false;
};

struct RecordedRequest {
    QByteArray method;
    QByteArray target; // path and query
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

class LocalHttpServer : public QTcpServer {
public:
    LocalHttpServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection())
                serve(socket);
        });
        listen(QHostAddress::LocalHost, 0);
    }

    void route(const QByteArray& path, CannedResponse response)
    {
        m_routes.insert(path, std::move(response));
    }
    QByteArray url(const QByteArray& path) const
    {
        return "http://127.0.0.1:" + QByteArray::number(serverPort()) + path;
    }
    const QList<RecordedRequest>& requests() const { return m_requests; }

private:
    void serve(QTcpSocket* socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            *buffer += socket->readAll();
            const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            RecordedRequest request;
            const QList<QByteArray> lines = buffer->left(headerEnd).split('\n');
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            request.method = requestLine.value(0);
            request.target = requestLine.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                        lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length", "0").toLongLong();
            if (buffer->size() - headerEnd - 4 < length)
                return; // the body is still coming
            request.body = buffer->mid(headerEnd + 4, length);
            buffer->clear();
            m_requests.append(request);
            const QByteArray path = request.target.left(request.target.indexOf('?') < 0
                    ? request.target.size()
                    : request.target.indexOf('?'));
            const CannedResponse response
                = m_routes.value(path, CannedResponse { 404, {}, "not found\n", false });
            if (response.hang)
                return;
            QByteArray reply = "HTTP/1.1 " + QByteArray::number(response.status) + " Canned\r\n";
            for (const auto& [name, value] : response.headers)
                reply += name + ": " + value + "\r\n";
            reply += "Content-Length: " + QByteArray::number(response.body.size())
                + "\r\nConnection: close\r\n\r\n";
            reply += response.body;
            socket->write(reply);
            socket->disconnectFromHost();
        });
    }

    QHash<QByteArray, CannedResponse> m_routes;
    QList<RecordedRequest> m_requests;
};
