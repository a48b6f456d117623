#include "ui/mainwindow.h"

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>

class tst_MainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void opensOnTheStartPage()
    {
        qc::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), QStringLiteral("Quota Console"));
        // Before any connection exists the status bar says so instead of showing stale data.
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Not connected"));
        bool mentionsSimulate = false;
        for (auto* label : window.findChildren<QLabel*>())
            mentionsSimulate |= label->text().contains(QLatin1String("quotactl simulate"));
        QVERIFY(mentionsSimulate);
    }

    void quitHasTheStandardShortcut()
    {
        qc::ui::MainWindow window;
        QAction* quit = nullptr;
        for (auto* action : window.menuBar()->findChildren<QAction*>()) {
            if (action->shortcut() == QKeySequence(QKeySequence::Quit))
                quit = action;
        }
        QVERIFY(quit);
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
