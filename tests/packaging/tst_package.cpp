// The Debian package as an admin gets it (docs/packaging.md): cpack builds it into a temporary
// directory, dpkg-deb unpacks it into a scratch root, and the checks run on what was unpacked:
// control fields, the programs, the file list, the validators of each format, the systemd
// units, the dependencies against the libraries the programs load, and quotactl migrate on the
// installed migrations against a real PostgreSQL.

#include "support/testcluster.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using qc::testsupport::TestCluster;

namespace {

const QString kAppId = u"io.github.quota_console.QuotaConsole"_s;
const QList<int> kIconSizes { 16, 22, 24, 32, 48, 64, 128, 256 };
const QString kService = u"usr/lib/systemd/system/quota-console-alert-evaluator.service"_s;
const QString kTimer = u"usr/lib/systemd/system/quota-console-alert-evaluator.timer"_s;

struct Run {
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
    QString describe() const
    {
        return u"exit "_s % QString::number(exitCode) % u"\nstdout:\n"_s % out % u"\nstderr:\n"_s
            % err;
    }
};

/// The system environment without what would let a program reach a display.
QProcessEnvironment headlessEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& name : { u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s,
             u"XDG_SESSION_TYPE"_s, u"LD_LIBRARY_PATH"_s })
        env.remove(name);
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    return env;
}

Run run(const QString& program, const QStringList& arguments,
    const QProcessEnvironment& env = headlessEnvironment(), int timeoutMs = 120000)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setProcessEnvironment(env);
    process.start();
    Run result;
    if (!process.waitForStarted()) {
        result.err = program % u": "_s % process.errorString();
        return result;
    }
    result.finished
        = process.waitForFinished(timeoutMs) && process.exitStatus() == QProcess::NormalExit;
    result.exitCode = result.finished ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

/// The path of a tool, or empty with `why` telling which Debian package brings it.
QString tool(const QString& name, const QString& package, QString* why)
{
    const QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        *why = name % u" is missing: install the Debian package "_s % package
            % u" (packaging/debian-packages.txt)"_s;
    return path;
}

#define QC_REQUIRE_TOOL(var, name, package)                                                        \
    QString var##Why;                                                                              \
    const QString var = tool(name, package, &var##Why);                                            \
    if (var.isEmpty())                                                                             \
    QFAIL(qPrintable(var##Why))

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool isElf(const QString& path)
{
    QFile file(path);
    return !QFileInfo(path).isSymLink() && file.open(QIODevice::ReadOnly)
        && file.read(4) == QByteArrayLiteral("\x7f\x45\x4c\x46");
}

/// Package names of a Depends-like field ("a (>= 1), b | c" -> a, b, c), without ":arch".
QSet<QString> packageNames(const QString& field)
{
    QSet<QString> names;
    static const QRegularExpression separators(u"[,|]"_s);
    for (const QString& entry : field.split(separators, Qt::SkipEmptyParts)) {
        QString name = entry.trimmed().section(u' ', 0, 0).section(u':', 0, 0);
        if (!name.isEmpty())
            names.insert(name);
    }
    return names;
}

/// The `runtime` rows of the one list of system packages.
QStringList runtimePackagesOfTheList()
{
    QStringList packages;
    const QString text = QString::fromUtf8(
        readAll(QStringLiteral(QC_SOURCE_DIR "/packaging/debian-packages.txt")));
    for (const QString& line : text.split(u'\n')) {
        const QStringList fields = line.simplified().split(u' ');
        if (fields.size() >= 2 && !fields[0].startsWith(u'#')
            && fields[1].split(u',').contains(u"runtime"_s))
            packages.append(fields[0]);
    }
    return packages;
}

/// Width and height from a PNG's IHDR chunk, or (-1, -1) if the data is not a PNG.
QSize pngSize(const QByteArray& png)
{
    if (png.size() < 24 || !png.startsWith("\x89PNG\r\n\x1a\n") || png.mid(12, 4) != "IHDR")
        return { -1, -1 };
    const auto be32 = [&](int at) {
        return int((uchar(png[at]) << 24) | (uchar(png[at + 1]) << 16) | (uchar(png[at + 2]) << 8)
            | uchar(png[at + 3]));
    };
    return { be32(16), be32(20) };
}

/// The source's Prometheus rule files, as the install rule selects them (no promtool tests).
QStringList sourceRuleFiles()
{
    QStringList names = QDir(QStringLiteral(QC_SOURCE_DIR "/packaging/prometheus"))
                            .entryList({ u"*.yml"_s }, QDir::Files, QDir::Name);
    static const QRegularExpression testFile(u"test[^/]*\\.yml$"_s);
    names.removeIf([](const QString& name) { return testFile.match(name).hasMatch(); });
    return names;
}

} // namespace

class TestPackage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void controlFields();
    void programsAnswerWithoutADisplay();
    void installsEveryFile();
    void iconsAtEveryHicolorSize();
    void dataIsTheSources();
    void desktopEntryIsValid();
    void metainfoIsValid();
    void manPagesCoverEveryCommand();
    void systemdUnitsVerify();
    void prometheusRulesAreValid();
    void dependsNameThePackageOfEveryLinkedLibrary();
    void cleanDebianInstallBringsEverythingLoaded();
    void dependsHoldTheRuntimeList();
    void migrateRunsFromTheInstalledFiles();
    void cleanupTestCase();

private:
    QString root(const QString& path = {}) const { return m_root.path() % u'/' % path; }
    QStringList elfFiles() const;
    /// Owning package of each library path (dpkg -S; merged /usr: /lib and /usr/lib alike).
    QHash<QString, QString> owners(const QStringList& libraries, QString* error) const;
    /// Qt plugins every installed program needs at run time, as host paths.
    static QStringList requiredPlugins();

    QTemporaryDir m_work;
    QTemporaryDir m_root;
    QString m_deb;
    QHash<QString, QString> m_control;
};

void TestPackage::initTestCase()
{
    QVERIFY2(m_work.isValid() && m_root.isValid(), "no temporary directory");
    QC_REQUIRE_TOOL(dpkgDeb, u"dpkg-deb"_s, u"dpkg"_s);

    // cpack -G DEB into a temporary directory: the build tree's packages stay untouched.
    const Run cpack = run(QStringLiteral(QC_CPACK),
        { u"-G"_s, u"DEB"_s, u"--config"_s, QStringLiteral(QC_CPACK_CONFIG), u"-B"_s,
            m_work.path() },
        QProcessEnvironment::systemEnvironment(), 240000);
    QVERIFY2(cpack.finished && cpack.exitCode == 0, qPrintable(u"cpack: "_s % cpack.describe()));
    const QStringList debs = QDir(m_work.path()).entryList({ u"*.deb"_s }, QDir::Files);
    QVERIFY2(debs.size() == 1, qPrintable(u"cpack made "_s % debs.join(u", "_s)));
    m_deb = m_work.filePath(debs.constFirst());
    const QString expectedName = u"quota-console_"_s % QStringLiteral(QC_PROJECT_VERSION);
    QVERIFY2(debs.constFirst().startsWith(expectedName), qPrintable(debs.constFirst()));

    const Run extract = run(dpkgDeb, { u"-x"_s, m_deb, m_root.path() });
    QVERIFY2(extract.exitCode == 0, qPrintable(u"dpkg-deb -x: "_s % extract.describe()));
    const Run fields = run(dpkgDeb, { u"-f"_s, m_deb });
    QVERIFY2(fields.exitCode == 0, qPrintable(u"dpkg-deb -f: "_s % fields.describe()));
    QString key;
    for (const QString& line : fields.out.split(u'\n')) {
        if (line.startsWith(u' ')) {
            m_control[key] += u'\n' % line.mid(1);
        } else if (const qsizetype colon = line.indexOf(u':'); colon > 0) {
            key = line.left(colon);
            m_control[key] = line.mid(colon + 1).trimmed();
        }
    }
}

void TestPackage::controlFields()
{
    QCOMPARE(m_control.value(u"Package"_s), u"quota-console"_s);
    QVERIFY2(m_control.value(u"Version"_s).startsWith(QStringLiteral(QC_PROJECT_VERSION) % u'-'),
        qPrintable(m_control.value(u"Version"_s)));
    const Run arch = run(u"dpkg"_s, { u"--print-architecture"_s });
    QCOMPARE(m_control.value(u"Architecture"_s), arch.out.trimmed());
    QVERIFY2(
        m_control.value(u"Maintainer"_s).contains(QRegularExpression(u"^.+ <[^@ ]+@[^> ]+>$"_s)),
        qPrintable(m_control.value(u"Maintainer"_s)));
    QCOMPARE(m_control.value(u"Section"_s), u"admin"_s);
    QVERIFY(m_control.value(u"Homepage"_s).startsWith(u"https://"_s));

    // A synopsis line, then a long description of lines within 80 columns.
    const QStringList description = m_control.value(u"Description"_s).split(u'\n');
    QVERIFY2(description.size() > 3, qPrintable(m_control.value(u"Description"_s)));
    QVERIFY(description.constFirst().size() < 80);
    for (const QString& line : description)
        QVERIFY2(line.size() < 80, qPrintable(u"long description line: "_s % line));

    // The database client is useful beside the console, never required by it.
    const QSet<QString> depends = packageNames(m_control.value(u"Depends"_s));
    QVERIFY2(!depends.contains(u"postgresql-client"_s) && !depends.contains(u"postgresql-15"_s),
        qPrintable(m_control.value(u"Depends"_s)));
    QVERIFY(packageNames(m_control.value(u"Suggests"_s)).contains(u"postgresql-client"_s));
    // One entry per package.
    QStringList first;
    for (const QString& entry : m_control.value(u"Depends"_s).split(u','))
        first.append(entry.trimmed().section(u' ', 0, 0));
    QCOMPARE(QSet<QString>(first.cbegin(), first.cend()).size(), first.size());
}

void TestPackage::programsAnswerWithoutADisplay()
{
    const QString version = QStringLiteral(QC_PROJECT_VERSION);
    const Run quotactl = run(root(u"usr/bin/quotactl"_s), { u"--version"_s });
    QVERIFY2(quotactl.exitCode == 0, qPrintable(quotactl.describe()));
    QCOMPARE(quotactl.out.trimmed(), u"quotactl "_s % version);

    // No DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM: QApplication would abort here.
    const Run console = run(root(u"usr/bin/quota-console"_s), { u"--version"_s });
    QVERIFY2(console.exitCode == 0, qPrintable(console.describe()));
    QCOMPARE(console.out.trimmed(), u"quota-console "_s % version);
    const Run help = run(root(u"usr/bin/quota-console"_s), { u"--help"_s });
    QVERIFY2(help.exitCode == 0 && help.out.contains(u"--version"_s), qPrintable(help.describe()));
}

void TestPackage::installsEveryFile()
{
    QStringList expected {
        u"usr/bin/quota-console"_s,
        u"usr/bin/quotactl"_s,
        u"usr/share/applications/"_s % kAppId % u".desktop"_s,
        u"usr/share/metainfo/"_s % kAppId % u".metainfo.xml"_s,
        u"usr/share/icons/hicolor/scalable/apps/"_s % kAppId % u".svg"_s,
        u"usr/share/man/man1/quotactl.1.gz"_s,
        u"usr/share/man/man1/quota-console.1.gz"_s,
        u"usr/share/quota-console/policies/default.json"_s,
        kService,
        kTimer,
        u"usr/share/doc/quota-console/copyright"_s,
        u"usr/share/doc/quota-console/examples/alert-evaluator.env"_s,
    };
    for (int size : kIconSizes)
        expected.append(u"usr/share/icons/hicolor/%1x%1/apps/"_s.arg(size) % kAppId % u".png"_s);
    const QStringList migrations = QDir(QStringLiteral(QC_SOURCE_DIR "/resources/sql/postgres"))
                                       .entryList({ u"*.sql"_s }, QDir::Files, QDir::Name);
    QVERIFY(!migrations.isEmpty());
    for (const QString& name : migrations)
        expected.append(u"usr/share/quota-console/sql/postgres/"_s % name);
    for (const QString& name : sourceRuleFiles())
        expected.append(u"usr/share/quota-console/prometheus/"_s % name);

    for (const QString& path : std::as_const(expected))
        QVERIFY2(QFileInfo(root(path)).isFile(), qPrintable(u"not in the package: /"_s % path));
    for (const QString& program : { u"usr/bin/quota-console"_s, u"usr/bin/quotactl"_s })
        QVERIFY2(QFileInfo(root(program)).isExecutable(), qPrintable(program));

    // Nothing outside /usr: no file in /etc that dpkg would have to treat as a conffile.
    const QStringList top = QDir(m_root.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
    QCOMPARE(top, QStringList { u"usr"_s });
}

void TestPackage::iconsAtEveryHicolorSize()
{
    for (int size : kIconSizes) {
        const QString path
            = root(u"usr/share/icons/hicolor/%1x%1/apps/"_s.arg(size)) % kAppId % u".png"_s;
        QCOMPARE(pngSize(readAll(path)), QSize(size, size));
    }
    const QByteArray svg
        = readAll(root(u"usr/share/icons/hicolor/scalable/apps/"_s) % kAppId % u".svg"_s);
    QXmlStreamReader xml(svg);
    QVERIFY(xml.readNextStartElement());
    QCOMPARE(xml.name(), u"svg"_s);
    QCOMPARE(xml.attributes().value(u"viewBox"_s), u"0 0 128 128"_s);
}

void TestPackage::dataIsTheSources()
{
    const QString sql = QStringLiteral(QC_SOURCE_DIR "/resources/sql/postgres/");
    const QStringList installed
        = QDir(root(u"usr/share/quota-console/sql/postgres"_s)).entryList(QDir::Files, QDir::Name);
    QCOMPARE(installed, QDir(sql).entryList({ u"*.sql"_s }, QDir::Files, QDir::Name));
    for (const QString& name : installed)
        QVERIFY2(
            readAll(root(u"usr/share/quota-console/sql/postgres/"_s % name)) == readAll(sql % name),
            qPrintable(name));
    QCOMPARE(readAll(root(u"usr/share/quota-console/policies/default.json"_s)),
        readAll(QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json")));

    const QString rulesDir = root(u"usr/share/quota-console/prometheus"_s);
    QCOMPARE(QDir(rulesDir).entryList(QDir::Files, QDir::Name), sourceRuleFiles());
    for (const QString& name : sourceRuleFiles())
        QCOMPARE(readAll(rulesDir % u'/' % name),
            readAll(QStringLiteral(QC_SOURCE_DIR "/packaging/prometheus/") % name));

    // The installed policy is a valid one for the installed quotactl.
    const Run validate = run(root(u"usr/bin/quotactl"_s),
        { u"policy"_s, u"validate"_s, root(u"usr/share/quota-console/policies/default.json"_s) });
    QVERIFY2(validate.exitCode == 0, qPrintable(validate.describe()));
}

void TestPackage::desktopEntryIsValid()
{
    QC_REQUIRE_TOOL(validator, u"desktop-file-validate"_s, u"desktop-file-utils"_s);
    const QString desktop = root(u"usr/share/applications/"_s) % kAppId % u".desktop"_s;
    const Run check = run(validator, { desktop });
    QVERIFY2(check.exitCode == 0 && check.out.isEmpty() && check.err.isEmpty(),
        qPrintable(check.describe()));

    // Exec names an installed program, Icon the installed icons.
    const QString text = QString::fromUtf8(readAll(desktop));
    const QRegularExpressionMatch exec
        = QRegularExpression(u"^Exec=(\\S+)"_s, QRegularExpression::MultilineOption).match(text);
    QVERIFY(exec.hasMatch());
    QVERIFY2(QFileInfo(root(u"usr/bin/"_s % exec.captured(1))).isExecutable(),
        qPrintable(exec.captured(1)));
    QVERIFY(text.contains(u"\nIcon="_s % kAppId % u'\n'));
}

void TestPackage::metainfoIsValid()
{
    QC_REQUIRE_TOOL(appstreamcli, u"appstreamcli"_s, u"appstream"_s);
    const QString metainfo = root(u"usr/share/metainfo/"_s) % kAppId % u".metainfo.xml"_s;
    const Run check = run(appstreamcli, { u"validate"_s, u"--no-net"_s, u"--strict"_s, metainfo });
    QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));

    // Same id as the desktop entry it launches; its newest release is this version.
    QXmlStreamReader xml(readAll(metainfo));
    QString id;
    QString launchable;
    QString newestRelease;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"id"_s)
            id = xml.readElementText();
        else if (xml.name() == u"launchable"_s)
            launchable = xml.readElementText();
        else if (xml.name() == u"release"_s && newestRelease.isEmpty())
            newestRelease = xml.attributes().value(u"version"_s).toString();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(id, kAppId);
    QCOMPARE(launchable, kAppId % u".desktop"_s);
    QVERIFY2(newestRelease == QStringLiteral(QC_PROJECT_VERSION),
        qPrintable(u"the newest <release> of packaging/"_s % kAppId % u".metainfo.xml is "_s
            % newestRelease % u"; add one for "_s % QStringLiteral(QC_PROJECT_VERSION)));
}

void TestPackage::manPagesCoverEveryCommand()
{
    QC_REQUIRE_TOOL(man, u"man"_s, u"man-db"_s);
    QProcessEnvironment env = headlessEnvironment();
    env.insert(u"MANWIDTH"_s, u"100"_s);
    for (const QString& page : { u"quotactl.1.gz"_s, u"quota-console.1.gz"_s }) {
        const Run render
            = run(man, { u"--warnings"_s, u"-l"_s, root(u"usr/share/man/man1/"_s) % page }, env);
        QVERIFY2(render.exitCode == 0 && render.err.isEmpty(),
            qPrintable(page % u": "_s % render.describe()));
        QVERIFY2(render.out.contains(u"SYNOPSIS"_s), qPrintable(render.out));
    }

    // Every command the installed quotactl lists has its section, and so has every subcommand a
    // command lists; each mentions every option of its --help (the page is made from them).
    const QString quotactl = root(u"usr/bin/quotactl"_s);
    const Run page = run(man, { u"-l"_s, root(u"usr/share/man/man1/quotactl.1.gz"_s) }, env);
    const auto block = [](const QString& help, const QString& heading) {
        QStringList words;
        const QString text = help.section(u'\n' % heading % u'\n', 1).section(u"\n\n"_s, 0, 0);
        for (const QString& line : text.split(u'\n', Qt::SkipEmptyParts))
            words.append(line.trimmed().section(u' ', 0, 0));
        return words;
    };
    QStringList commands;
    for (const QString& command : block(run(quotactl, { u"--help"_s }).out, u"Commands:"_s)) {
        commands.append(command);
        const Run help = run(quotactl, { command, u"--help"_s });
        for (const QString& sub : block(help.out, u"Subcommands:"_s))
            commands.append(command % u' ' % sub);
    }
    QVERIFY2(commands.size() >= 5, qPrintable(commands.join(u", "_s)));
    static const QRegularExpression option(
        u"^  (?:-\\w, )?(--[\\w-]+)"_s, QRegularExpression::MultilineOption);
    for (const QString& command : std::as_const(commands)) {
        const QString heading = u"\n   quotactl "_s % command % u'\n';
        const qsizetype at = page.out.indexOf(heading);
        QVERIFY2(at >= 0, qPrintable(u"quotactl.1 has no section for "_s % command));
        const QString section
            = page.out.mid(at + heading.size()).section(u"\n   quotactl "_s, 0, 0);
        const Run help = run(quotactl, command.split(u' ') + QStringList { u"--help"_s });
        for (const QRegularExpressionMatch& m : option.globalMatch(help.out))
            QVERIFY2(m.captured(1) == u"--help"_s || section.contains(m.captured(1)),
                qPrintable(u"quotactl.1 does not describe "_s % command % u' ' % m.captured(1)));
    }
}

void TestPackage::systemdUnitsVerify()
{
    QC_REQUIRE_TOOL(analyze, u"systemd-analyze"_s, u"systemd"_s);
    const QString service = QString::fromUtf8(readAll(root(kService)));
    const QString timer = QString::fromUtf8(readAll(root(kTimer)));
    QVERIFY2(service.contains(u"\nExecStart=/usr/bin/quotactl alerts evaluate --once "_s),
        qPrintable(service));
    QVERIFY(service.contains(u"\nEnvironmentFile=/etc/quota-console/alert-evaluator.env\n"_s));
    QVERIFY(service.contains(u"\nType=oneshot\n"_s));
    for (const QString& hardening :
        { u"DynamicUser=yes"_s, u"ProtectSystem=strict"_s, u"NoNewPrivileges=yes"_s,
            u"PrivateTmp=yes"_s, u"ProtectHome=yes"_s, u"CapabilityBoundingSet="_s })
        QVERIFY2(service.contains(u'\n' % hardening % u'\n'), qPrintable(hardening));
    QVERIFY(timer.contains(u"\nOnCalendar=*-*-* *:*:00\n"_s));
    QVERIFY(timer.contains(u"\nWantedBy=timers.target\n"_s));

    // systemd-analyze verify in a root made of the package and the host's own units (targets),
    // so that ExecStart is checked against the packaged quotactl; MANPATH lets it find
    // man:quotactl(1) of Documentation= in the package.
    QTemporaryDir verifyRoot;
    QVERIFY(verifyRoot.isValid());
    const Run copy = run(u"cp"_s, { u"-a"_s, m_root.path() % u"/."_s, verifyRoot.path() });
    QVERIFY2(copy.exitCode == 0, qPrintable(copy.describe()));
    QVERIFY(QDir().mkpath(verifyRoot.filePath(u"lib/systemd"_s)));
    const Run hostUnits = run(
        u"cp"_s, { u"-a"_s, u"/lib/systemd/system"_s, verifyRoot.filePath(u"lib/systemd/"_s) });
    QVERIFY2(hostUnits.exitCode == 0, qPrintable(hostUnits.describe()));
    QProcessEnvironment env = headlessEnvironment();
    env.insert(u"MANPATH"_s, root(u"usr/share/man"_s));
    const Run verify = run(analyze,
        { u"verify"_s, u"--root="_s % verifyRoot.path(), u'/' % kService, u'/' % kTimer }, env);
    QVERIFY2(verify.exitCode == 0 && verify.err.isEmpty() && verify.out.isEmpty(),
        qPrintable(verify.describe()));

    // Exposure below 2.0 ("OK") by systemd's own measure of the sandbox.
    const Run security = run(analyze,
        { u"security"_s, u"--offline=yes"_s, u"--threshold=20"_s, u"--no-pager"_s,
            u"--root="_s % verifyRoot.path(), u'/' % kService },
        env);
    QVERIFY2(security.exitCode == 0, qPrintable(security.describe()));
}

void TestPackage::prometheusRulesAreValid()
{
    const QStringList rules = sourceRuleFiles();
    if (rules.isEmpty())
        QSKIP("packaging/prometheus holds no rule file yet");
    QC_REQUIRE_TOOL(promtool, u"promtool"_s, u"prometheus"_s);
    for (const QString& name : rules) {
        const Run check = run(promtool,
            { u"check"_s, u"rules"_s, root(u"usr/share/quota-console/prometheus/"_s) % name });
        QVERIFY2(check.exitCode == 0, qPrintable(name % u": "_s % check.describe()));
    }
}

QStringList TestPackage::elfFiles() const
{
    QStringList files;
    QDirIterator it(m_root.path(), QDir::Files | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (isElf(path))
            files.append(path);
    }
    return files;
}

QHash<QString, QString> TestPackage::owners(const QStringList& libraries, QString* error) const
{
    QStringList candidates;
    for (const QString& library : libraries) {
        const QString canonical = library.startsWith(u"/usr/"_s) ? library.mid(4) : library;
        candidates << canonical << u"/usr"_s % canonical;
    }
    // dpkg -S exits 1 when one of the candidates is unknown; the other spelling is found.
    const Run search = run(u"dpkg"_s, QStringList { u"-S"_s } + candidates);
    QHash<QString, QString> owners;
    for (const QString& line : search.out.split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype separator = line.indexOf(u": "_s);
        if (separator < 0 || line.startsWith(u"diversion "_s))
            continue;
        const QString package = line.left(separator).section(u',', 0, 0).section(u':', 0, 0);
        QString path = line.mid(separator + 2).trimmed();
        if (path.startsWith(u"/usr/"_s))
            path = path.mid(4);
        owners.insert(path, package);
    }
    QStringList unowned;
    for (const QString& library : libraries) {
        const QString canonical = library.startsWith(u"/usr/"_s) ? library.mid(4) : library;
        if (!owners.contains(canonical))
            unowned.append(library);
        else
            owners.insert(library, owners.value(canonical));
    }
    if (!unowned.isEmpty())
        *error = u"no Debian package owns "_s % unowned.join(u", "_s);
    return owners;
}

QStringList TestPackage::requiredPlugins()
{
    const QString plugins = QLibraryInfo::path(QLibraryInfo::PluginsPath);
    return { plugins % u"/platforms/libqxcb.so"_s, plugins % u"/sqldrivers/libqsqlpsql.so"_s };
}

void TestPackage::dependsNameThePackageOfEveryLinkedLibrary()
{
    QC_REQUIRE_TOOL(objdump, u"objdump"_s, u"binutils"_s);
    const QSet<QString> depends = packageNames(m_control.value(u"Depends"_s));
    const QStringList elves = elfFiles();
    QVERIFY2(elves.size() >= 2, qPrintable(elves.join(u", "_s)));
    for (const QString& elf : elves) {
        const Run ldd = run(u"ldd"_s, { elf });
        QVERIFY2(ldd.exitCode == 0 && !ldd.out.contains(u"not found"_s),
            qPrintable(elf % u": "_s % ldd.describe()));
        QHash<QString, QString> pathOfSoname;
        static const QRegularExpression resolved(
            u"^\\s*(\\S+) => (/\\S+)"_s, QRegularExpression::MultilineOption);
        for (const QRegularExpressionMatch& m : resolved.globalMatch(ldd.out))
            pathOfSoname.insert(m.captured(1), m.captured(2));

        // Each NEEDED entry: its package is named in Depends itself.
        const Run dynamic = run(objdump, { u"-p"_s, elf });
        static const QRegularExpression needed(
            u"^\\s*NEEDED\\s+(\\S+)"_s, QRegularExpression::MultilineOption);
        QStringList libraries;
        for (const QRegularExpressionMatch& m : needed.globalMatch(dynamic.out)) {
            QVERIFY2(pathOfSoname.contains(m.captured(1)),
                qPrintable(elf % u": ldd does not resolve "_s % m.captured(1)));
            libraries.append(pathOfSoname.value(m.captured(1)));
        }
        QVERIFY2(!libraries.isEmpty(), qPrintable(elf % u" links no shared library?"_s));
        QString error;
        const QHash<QString, QString> owner = owners(libraries, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const QString& library : std::as_const(libraries))
            QVERIFY2(depends.contains(owner.value(library)),
                qPrintable(QFileInfo(elf).fileName() % u" links "_s % library % u" of "_s
                    % owner.value(library) % u", which Depends lacks: "_s
                    % m_control.value(u"Depends"_s)));
    }

    // The plugins Qt loads at run time: the X11 platform and the PostgreSQL driver.
    QString error;
    const QStringList plugins = requiredPlugins();
    const QHash<QString, QString> owner = owners(plugins, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const QString& plugin : plugins)
        QVERIFY2(depends.contains(owner.value(plugin)),
            qPrintable(plugin % u" of "_s % owner.value(plugin)
                % u" is not in Depends: add it to packaging/debian-packages.txt as runtime"_s));
}

void TestPackage::cleanDebianInstallBringsEverythingLoaded()
{
    // apt resolves `apt install ./file.deb` as on a machine with no package installed (an empty
    // dpkg status): the packages it would install must hold every library that the programs
    // load, directly or not, and the Qt plugins.
    if (QDir(u"/var/lib/apt/lists"_s).entryList({ u"*_Packages*"_s }, QDir::Files).isEmpty())
        QSKIP("no apt package lists on this machine (apt-get update has never run)");
    QTemporaryDir state;
    QVERIFY(state.isValid());
    const QString status = state.filePath(u"status"_s);
    QFile empty(status);
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    const Run apt = run(u"apt-get"_s,
        { u"install"_s, u"--simulate"_s, u"--no-install-recommends"_s, u"-o"_s,
            u"Dir::State::status="_s % status, m_deb });
    QVERIFY2(apt.exitCode == 0, qPrintable(u"apt cannot install the package: "_s % apt.describe()));
    QSet<QString> installed;
    static const QRegularExpression inst(u"^Inst (\\S+)"_s, QRegularExpression::MultilineOption);
    for (const QRegularExpressionMatch& m : inst.globalMatch(apt.out))
        installed.insert(m.captured(1).section(u':', 0, 0));
    QVERIFY2(installed.contains(u"quota-console"_s), qPrintable(apt.out));

    QStringList loaded = requiredPlugins();
    for (const QString& elf : elfFiles()) {
        const Run ldd = run(u"ldd"_s, { elf });
        static const QRegularExpression resolved(
            u"=> (/\\S+)"_s, QRegularExpression::MultilineOption);
        for (const QRegularExpressionMatch& m : resolved.globalMatch(ldd.out))
            loaded.append(m.captured(1));
    }
    loaded.removeDuplicates();
    QString error;
    const QHash<QString, QString> owner = owners(loaded, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const QString& library : std::as_const(loaded))
        QVERIFY2(installed.contains(owner.value(library)),
            qPrintable(library % u" of "_s % owner.value(library)
                % u" would be missing after apt install on a clean Debian"_s));
}

void TestPackage::dependsHoldTheRuntimeList()
{
    const QSet<QString> depends = packageNames(m_control.value(u"Depends"_s));
    const QStringList listed = runtimePackagesOfTheList();
    QVERIFY(!listed.isEmpty());
    for (const QString& package : listed)
        QVERIFY2(depends.contains(package),
            qPrintable(
                package % u" (runtime in packaging/debian-packages.txt) is not in Depends"_s));
}

void TestPackage::migrateRunsFromTheInstalledFiles()
{
    QC_REQUIRE_CLUSTER();
    TestCluster& cluster = TestCluster::instance();
    const QString database = cluster.createDatabase(TestCluster::Schema::Empty);
    QVERIFY2(!database.isEmpty(), qPrintable(cluster.errorString()));
    const QString conninfo = cluster.conninfo(database);
    const QString quotactl = root(u"usr/bin/quotactl"_s);
    const QString migrations = root(u"usr/share/quota-console/sql/postgres"_s);
    const qsizetype count = QDir(migrations).entryList({ u"*.sql"_s }, QDir::Files).size();

    const Run migrate
        = run(quotactl, { u"migrate"_s, u"--database"_s, conninfo, u"--dir"_s, migrations });
    QVERIFY2(migrate.exitCode == 0, qPrintable(migrate.describe()));
    QVERIFY2(migrate.out.contains(u"applied "_s % QString::number(count) % u" migrations"_s),
        qPrintable(migrate.out));
    // The built-in migrations find nothing to do: the installed files are the same ones.
    const Run check = run(quotactl, { u"migrate"_s, u"--check"_s, u"--database"_s, conninfo });
    QVERIFY2(
        check.exitCode == 0 && check.out.startsWith(u"up to date"_s), qPrintable(check.describe()));
}

void TestPackage::cleanupTestCase()
{
    TestCluster::instance().cleanup();
}

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
