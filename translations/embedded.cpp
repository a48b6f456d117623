#include "embedded.h"

#include <QDir>

namespace qc::i18n {

QStringList embeddedLanguages()
{
    QStringList languages;
    const QStringList files
        = QDir(QStringLiteral(":/i18n")).entryList({ QStringLiteral("quota-console_*.qm") });
    for (const QString& f : files)
        languages << f.section(QLatin1Char('_'), 1).section(QLatin1Char('.'), 0, 0);
    return languages;
}

} // namespace qc::i18n
