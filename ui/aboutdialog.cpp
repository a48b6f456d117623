#include "aboutdialog.h"

#include "services/buildinfo.h"
#include "services/logging.h"

#include <QApplication>
#include <QMessageBox>

namespace qc::ui {

using namespace Qt::StringLiterals;

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::ui::About)
};

} // namespace

QString aboutText()
{
    const QString build = Tr::tr("%1, %2 build, %3")
                              .arg(QStringLiteral(QC_BUILD_DESCRIBE), QStringLiteral(QC_BUILD_TYPE),
                                  QStringLiteral(QC_BUILD_COMPILER));
    // Build, Qt and paths read left to right in a right-to-left language too.
    const auto ltr = [](const QString& text) -> QString {
        return QChar(0x202A) + text + QChar(0x202C); // LEFT-TO-RIGHT EMBEDDING … POP
    };
    return Tr::tr("<h3>Quota Console %1</h3>"
                  "<p>Watch, investigate and steer the rate limits, plan quotas and abuse "
                  "detection of an API kept in a PostgreSQL quota database.</p>"
                  "<table>"
                  "<tr><td>Build:</td><td>%2</td></tr>"
                  "<tr><td>Qt:</td><td>%3 (built with %4)</td></tr>"
                  "<tr><td>Licence:</td><td>GNU General Public License, version 3 or later "
                  "(GPL-3.0-or-later)</td></tr>"
                  "<tr><td>Log files:</td><td>%5</td></tr>"
                  "</table>"
                  "<p>This program comes with ABSOLUTELY NO WARRANTY. It is free software: you "
                  "may redistribute it under the terms of the GPL; see "
                  "<a href=\"https://www.gnu.org/licenses/gpl-3.0.html\">the licence</a>.</p>")
        .arg(QStringLiteral(QC_BUILD_VERSION), ltr(build.toHtmlEscaped()),
            ltr(QString::fromLatin1(qVersion())), ltr(QStringLiteral(QC_BUILD_QT_VERSION)),
            ltr(services::logDirectory().toHtmlEscaped()));
}

void showAbout(QWidget* parent)
{
    QMessageBox::about(parent, Tr::tr("About Quota Console"), aboutText());
}

} // namespace qc::ui
