#pragma once

#include <QStringList>

namespace qc::i18n {

/// The languages whose translation is embedded under :/i18n ("de", "fa").
QStringList embeddedLanguages();

} // namespace qc::i18n
