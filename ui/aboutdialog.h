#pragma once

#include <QString>

class QWidget;

namespace qc::ui {

/// The About box's text: version, build (git describe, build type, compiler as configured),
/// Qt (built with and running), licence, log folder.
QString aboutText();
/// Help → About Quota Console.
void showAbout(QWidget* parent);

} // namespace qc::ui
