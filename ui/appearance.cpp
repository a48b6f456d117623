#include "appearance.h"

#include "services/localization.h"
#include "services/logging.h"

#include <QApplication>
#include <QPointer>
#include <QStyle>
#include <QStyleFactory>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::Preferences;

namespace {

struct Original {
    bool saved = false;
    QString style;
    QPalette palette;
};

Original& original()
{
    static Original o;
    return o;
}

} // namespace

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x83, 0x88);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1f, 0x21, 0x24));
    p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2c, 0x30));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xff));
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x41, 0x46));
    p.setColor(QPalette::Mid, QColor(0x25, 0x27, 0x2a));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1e));
    p.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x12));
    for (QPalette::ColorRole role :
        { QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::HighlightedText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4d, 0x52));
    return p;
}

void applyTheme(Preferences::Theme theme)
{
    Original& o = original();
    if (!o.saved) {
        o.saved = true;
        o.style = QApplication::style()->name();
        o.palette = QApplication::palette();
    }
    switch (theme) {
    case Preferences::Theme::System:
        QApplication::setStyle(QStyleFactory::create(o.style));
        QApplication::setPalette(o.palette);
        break;
    case Preferences::Theme::Light: {
        QStyle* fusion = QStyleFactory::create(u"Fusion"_s);
        QApplication::setStyle(fusion);
        QApplication::setPalette(fusion->standardPalette());
        break;
    }
    case Preferences::Theme::Dark:
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(darkPalette());
        break;
    }
}

void applyPreferences(const Preferences& now, const Preferences* before)
{
    // At start the system theme is already in place.
    if (before ? before->theme != now.theme : now.theme != Preferences::Theme::System)
        applyTheme(now.theme);
    services::setDisplayTimeZone(now.timeZone);
    if (!before || before->logLevel != now.logLevel)
        services::setLogLevel(now.logLevel);
    if (before && before->dataDirectory != now.dataDirectory) {
        services::setDataDirectory(now.dataDirectory);
        const QString error = services::initLogging();
        if (!error.isEmpty())
            services::logger()->warn("{}", services::toLog(error));
        services::logger()->info(
            "data directory now {}", services::toLog(services::dataDirectory()));
    } else if (!before) {
        services::setDataDirectory(now.dataDirectory);
    }
}

} // namespace qc::ui
