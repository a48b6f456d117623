#include "profilesdialog.h"

#include "models/profilelistmodel.h"
#include "services/secretstore.h"
#include "services/settingsstore.h"
#include "ui/profiledialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QUuid>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

ProfilesDialog::ProfilesDialog(services::SettingsStore* settings, services::SecretStore* secrets,
    QNetworkAccessManager* network, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_secretStore(secrets)
    , m_network(network)
    , m_model(new models::ProfileListModel(this))
    , m_list(new QListView(this))
    , m_edit(new QPushButton(tr("Edit…"), this))
    , m_duplicate(new QPushButton(tr("Duplicate"), this))
    , m_delete(new QPushButton(tr("Delete"), this))
    , m_connect(new QPushButton(tr("Connect"), this))
    , m_status(new QLabel(this))
{
    setObjectName(u"profilesDialog"_s);
    setWindowTitle(tr("Connection profiles"));
    m_list->setModel(m_model);
    m_list->setObjectName(u"profileList"_s);
    m_list->setAccessibleName(tr("Connection profiles"));
    m_list->setUniformItemSizes(true);
    m_status->setWordWrap(true);
    auto* add = new QPushButton(tr("New…"), this);
    add->setObjectName(u"newProfile"_s);
    m_connect->setDefault(true);
    auto* side = new QVBoxLayout;
    side->addWidget(add);
    side->addWidget(m_edit);
    side->addWidget(m_duplicate);
    side->addWidget(m_delete);
    side->addStretch(1);
    side->addWidget(m_connect);
    auto* top = new QHBoxLayout;
    top->addWidget(m_list, 1);
    top->addLayout(side);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, &ProfilesDialog::createProfile);
    connect(m_edit, &QPushButton::clicked, this, &ProfilesDialog::editCurrent);
    connect(m_duplicate, &QPushButton::clicked, this, &ProfilesDialog::duplicateCurrent);
    connect(m_delete, &QPushButton::clicked, this, &ProfilesDialog::deleteCurrent);
    connect(m_list, &QListView::doubleClicked, this, &ProfilesDialog::editCurrent);
    connect(m_connect, &QPushButton::clicked, this, [this] {
        const QString id = currentId();
        if (id.isEmpty())
            return;
        Q_EMIT connectRequested(id);
        accept();
    });
    connect(m_settings, &services::SettingsStore::changed, this, &ProfilesDialog::reload);
    reload();
    resize(560, 360);
}

void ProfilesDialog::reload()
{
    const QString keep = currentId();
    m_model->resetData(m_settings->settings().profiles);
    int row = m_model->rowOf(keep.isEmpty() ? m_settings->settings().lastProfileId : keep);
    if (row < 0 && m_model->rowCount() > 0)
        row = 0;
    if (row >= 0)
        m_list->setCurrentIndex(m_model->index(row));
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
        &ProfilesDialog::updateButtons, Qt::UniqueConnection);
    updateButtons();
}

QString ProfilesDialog::currentId() const
{
    const QModelIndex index = m_list->currentIndex();
    return index.isValid() ? index.data(models::ProfileListModel::IdRole).toString() : QString();
}

void ProfilesDialog::updateButtons()
{
    const bool has = !currentId().isEmpty();
    m_edit->setEnabled(has);
    m_duplicate->setEnabled(has);
    m_delete->setEnabled(has);
    m_connect->setEnabled(has);
}

void ProfilesDialog::createProfile()
{
    edit(services::ConnectionProfile::create(QString(), u"PROD"_s), {}, true);
}

void ProfilesDialog::editCurrent()
{
    const services::ConnectionProfile* p = m_settings->settings().profile(currentId());
    if (!p)
        return;
    const services::ConnectionProfile profile = *p;
    m_status->setText(tr("Reading the saved secrets from the keychain…"));
    m_secretStore->read(profile, this,
        [this, profile](const services::ProfileSecrets& secrets, const QString& error) {
            m_status->setText(error);
            edit(profile, secrets, false);
        });
}

void ProfilesDialog::duplicateCurrent()
{
    const services::ConnectionProfile* p = m_settings->settings().profile(currentId());
    if (!p)
        return;
    services::ConnectionProfile copy = *p;
    const services::ConnectionProfile original = *p;
    copy.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    copy.name = tr("%1 (copy)").arg(p->name);
    m_secretStore->read(original, this,
        [this, copy](const services::ProfileSecrets& secrets, const QString& error) {
            m_status->setText(error);
            edit(copy, secrets, true);
        });
}

void ProfilesDialog::edit(
    const services::ConnectionProfile& profile, const services::ProfileSecrets& secrets, bool)
{
    ProfileDialog dialog(profile, secrets, m_network, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const services::ConnectionProfile edited = dialog.profile();
    const services::ProfileSecrets editedSecrets = dialog.secrets();
    const QString saveError
        = m_settings->update([&](services::ConsoleSettings& s) { s.upsert(edited); });
    m_status->setText(saveError);
    if (editedSecrets == secrets)
        return;
    m_status->setText(tr("Saving the secrets in the keychain…"));
    m_secretStore->write(edited, editedSecrets, this,
        [this](const QString& error) { m_status->setText(error.isEmpty() ? QString() : error); });
}

void ProfilesDialog::deleteCurrent()
{
    const services::ConnectionProfile* p = m_settings->settings().profile(currentId());
    if (!p)
        return;
    const services::ConnectionProfile profile = *p;
    if (QMessageBox::question(this, tr("Delete profile"),
            tr("Delete the profile %1 and its secrets in the keychain?").arg(profile.name))
        != QMessageBox::Yes)
        return;
    m_settings->update([&](services::ConsoleSettings& s) { s.remove(profile.id); });
    m_secretStore->removeAll(
        profile, this, [this](const QString& error) { m_status->setText(error); });
}

} // namespace qc::ui
