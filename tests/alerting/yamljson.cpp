#include "yamljson.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

#include <memory>
#include <vector>
#include <yaml.h>

namespace {

class Reader {
public:
    explicit Reader(const QByteArray& text)
    {
        yaml_parser_initialize(&m_parser);
        yaml_parser_set_input_string(&m_parser,
            reinterpret_cast<const unsigned char*>(text.constData()), std::size_t(text.size()));
    }
    ~Reader() { yaml_parser_delete(&m_parser); }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    QJsonValue document(QString* error)
    {
        QJsonValue result;
        while (next()) {
            if (m_event.type == YAML_DOCUMENT_START_EVENT) {
                yaml_event_delete(&m_event);
                if (!next())
                    break;
                result = node();
                break;
            }
            if (m_event.type == YAML_STREAM_END_EVENT)
                break;
            yaml_event_delete(&m_event);
        }
        if (!m_error.isEmpty() && error)
            *error = m_error;
        return result;
    }

private:
    bool next()
    {
        if (!m_error.isEmpty())
            return false;
        if (!yaml_parser_parse(&m_parser, &m_event)) {
            m_error = QStringLiteral("line %1, column %2: %3")
                          .arg(m_parser.problem_mark.line + 1)
                          .arg(m_parser.problem_mark.column + 1)
                          .arg(QString::fromUtf8(m_parser.problem ? m_parser.problem : "error"));
            return false;
        }
        return true;
    }

    static QString text(const yaml_char_t* chars)
    {
        return chars ? QString::fromUtf8(reinterpret_cast<const char*>(chars)) : QString();
    }

    // Builds the node whose first event is m_event (consumed here).
    QJsonValue node()
    {
        const yaml_event_type_t type = m_event.type;
        QJsonValue value;
        QString anchor;
        if (type == YAML_ALIAS_EVENT) {
            value = m_anchors.value(text(m_event.data.alias.anchor));
            yaml_event_delete(&m_event);
            return value;
        }
        if (type == YAML_SCALAR_EVENT) {
            anchor = text(m_event.data.scalar.anchor);
            value = QString::fromUtf8(reinterpret_cast<const char*>(m_event.data.scalar.value),
                qsizetype(m_event.data.scalar.length));
            yaml_event_delete(&m_event);
        } else if (type == YAML_SEQUENCE_START_EVENT) {
            anchor = text(m_event.data.sequence_start.anchor);
            yaml_event_delete(&m_event);
            QJsonArray array;
            while (next() && m_event.type != YAML_SEQUENCE_END_EVENT)
                array.append(node());
            yaml_event_delete(&m_event);
            value = array;
        } else if (type == YAML_MAPPING_START_EVENT) {
            anchor = text(m_event.data.mapping_start.anchor);
            yaml_event_delete(&m_event);
            QJsonObject object;
            while (next() && m_event.type != YAML_MAPPING_END_EVENT) {
                const QString key = node().toString();
                if (!next())
                    break;
                object.insert(key, node());
            }
            yaml_event_delete(&m_event);
            value = object;
        } else {
            yaml_event_delete(&m_event);
        }
        if (!anchor.isEmpty())
            m_anchors.insert(anchor, value);
        return value;
    }

    yaml_parser_t m_parser {};
    yaml_event_t m_event {};
    QString m_error;
    QHash<QString, QJsonValue> m_anchors;
};

} // namespace

QJsonValue readYaml(const QByteArray& text, QString* error)
{
    Reader reader(text);
    return reader.document(error);
}
