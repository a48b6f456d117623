#include "settingsstore.h"

#include "services/logging.h"

namespace qc::services {

SettingsStore::SettingsStore(QString path, QObject* parent)
    : QObject(parent)
    , m_path(std::move(path))
{
    m_settings = ConsoleSettings::loadFile(m_path, &m_loadError);
    if (!m_loadError.isEmpty())
        logger()->warn("{}", toLog(m_loadError));
}

QString SettingsStore::update(const std::function<void(ConsoleSettings&)>& change)
{
    ConsoleSettings next = m_settings;
    change(next);
    if (next == m_settings)
        return {};
    m_settings = std::move(next);
    const QString error = m_settings.saveFile(m_path);
    if (!error.isEmpty())
        logger()->warn("{}", toLog(error));
    Q_EMIT changed();
    return error;
}

} // namespace qc::services
