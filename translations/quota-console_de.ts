<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>QGuiApplication</name>
    <message>
        <source>QT_LAYOUT_DIRECTION</source>
        <translation>LTR</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Desktop console for the quota database of an API.</source>
        <translation>Desktop-Konsole für die Quota-Datenbank einer API.</translation>
    </message>
    <message>
        <source>Open the embedded demo.</source>
        <translation type="vanished">Die eingebaute Demo öffnen.</translation>
    </message>
    <message>
        <source>Connect to the saved connection profile &lt;name&gt;.</source>
        <translation>Mit dem gespeicherten Verbindungsprofil &lt;name&gt; verbinden.</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Speak &lt;code&gt; (en, de, fa) this time, whatever the settings say.</source>
        <translation>Diesmal &lt;code&gt; sprechen (en, de, fa), unabhängig von den Einstellungen.</translation>
    </message>
    <message>
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Once connected, show &lt;page&gt; (dashboard, settings, shortcuts, about, ...), save a screenshot to --screenshot-out when it has data, and quit.</source>
        <translation>Nach dem Verbinden &lt;page&gt; zeigen (dashboard, settings, shortcuts, about, ...), ein Bildschirmfoto nach --screenshot-out speichern, sobald Daten da sind, und beenden.</translation>
    </message>
    <message>
        <source>page</source>
        <translation>Seite</translation>
    </message>
    <message>
        <source>The PNG file --screenshot-page writes.</source>
        <translation>Die PNG-Datei, die --screenshot-page schreibt.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>The embedded demo is not yet available in this version. Meanwhile, try:
  quotactl trace generate --out /tmp/trace.csv --scenario normal --scenario bot_burst
  quotactl simulate --policy candidate.json --trace /tmp/trace.csv
</source>
        <translation type="vanished">Die eingebaute Demo ist in dieser Version noch nicht verfügbar. Probieren Sie bis dahin:
  quotactl trace generate --out /tmp/trace.csv --scenario normal --scenario bot_burst
  quotactl simulate --policy candidate.json --trace /tmp/trace.csv
</translation>
    </message>
    <message>
        <source>There is no connection profile &apos;%1&apos;.
</source>
        <translation>Es gibt kein Verbindungsprofil „%1“.
</translation>
    </message>
    <message>
        <source>Start the embedded demo (or use the running one) and connect to it.</source>
        <translation>Die eingebaute Demo starten (oder die laufende verwenden) und sich mit ihr verbinden.</translation>
    </message>
</context>
<context>
    <name>qc::console::DemoLauncher</name>
    <message>
        <source>Cannot run %1: %2</source>
        <translation>%1 kann nicht ausgeführt werden: %2</translation>
    </message>
    <message>
        <source>quotactl, which runs the demo, was not found next to quota-console (%1) nor on PATH; install it with the quota-console package or build it (cmake --build build --target quotactl).</source>
        <translation>quotactl, das die Demo ausführt, wurde weder neben quota-console (%1) noch im PATH gefunden; installieren Sie es mit dem Paket quota-console oder bauen Sie es (cmake --build build --target quotactl).</translation>
    </message>
    <message>
        <source>Another process is starting the demo…</source>
        <translation>Ein anderer Prozess startet die Demo…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Another process is starting the demo: %1</source>
        <translation>Ein anderer Prozess startet die Demo: %1</translation>
    </message>
    <message>
        <source>The demo that another process was starting did not come up (it is %1 now); &apos;quotactl demo status&apos; and its logs in %2 say more.</source>
        <translation>Die Demo, die ein anderer Prozess gestartet hat, ist nicht hochgekommen (sie ist jetzt %1); „quotactl demo status“ und ihre Protokolle in %2 sagen mehr.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>quotactl demo ended before the demo was ready (%1):
%2</source>
        <translation>quotactl demo wurde beendet, bevor die Demo bereit war (%1):
%2</translation>
    </message>
    <message>
        <source>crashed</source>
        <translation>abgestürzt</translation>
    </message>
    <message>
        <source>exit status %1</source>
        <translation>Exit-Status %1</translation>
    </message>
    <message>
        <source>The demo stopped unexpectedly:
%1</source>
        <translation>Die Demo wurde unerwartet beendet:
%1</translation>
    </message>
    <message>
        <source>Checking PostgreSQL…</source>
        <translation>Prüfe PostgreSQL…</translation>
    </message>
    <message>
        <source>Creating the PostgreSQL cluster…</source>
        <translation>Lege den PostgreSQL-Cluster an…</translation>
    </message>
    <message>
        <source>Starting PostgreSQL…</source>
        <translation>Starte PostgreSQL…</translation>
    </message>
    <message>
        <source>Migrating…</source>
        <translation>Migriere…</translation>
    </message>
    <message>
        <source>Seeding plans and users…</source>
        <translation>Lege Tarife und Benutzer an…</translation>
    </message>
    <message>
        <source>Backfilling 1 day of history…</source>
        <translation>Fülle 1 Tag Verlauf auf…</translation>
    </message>
    <message>
        <source>Backfilling %1 days of history: %2 done…</source>
        <translation>Fülle %1 Tage Verlauf auf: %2 fertig…</translation>
    </message>
    <message>
        <source>Backfilling %1 of history…</source>
        <translation>Fülle %1 Verlauf auf…</translation>
    </message>
    <message>
        <source>Starting live traffic…</source>
        <translation>Starte Live-Verkehr…</translation>
    </message>
    <message>
        <source>Starting the alert evaluator…</source>
        <translation>Starte den Alarm-Auswerter…</translation>
    </message>
</context>
<context>
    <name>qc::console::DemoMode</name>
    <message>
        <source>Starting the demo</source>
        <translation>Demo wird gestartet</translation>
    </message>
    <message>
        <source>Starting the demo: %1</source>
        <translation>Demo wird gestartet: %1</translation>
    </message>
    <message>
        <source>The demo could not start.</source>
        <translation>Die Demo konnte nicht starten.</translation>
    </message>
    <message>
        <source>The demo could not start</source>
        <translation>Die Demo konnte nicht starten</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>Demo</translation>
    </message>
    <message>
        <source>Stopping the demo</source>
        <translation>Demo wird beendet</translation>
    </message>
    <message>
        <source>Stopping live traffic, the alert evaluator and PostgreSQL…</source>
        <translation>Beende Live-Verkehr, den Alarm-Auswerter und PostgreSQL…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>qc::models::AlertModel</name>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Silenced in Alertmanager by a silence this console did not make</source>
        <translation>In Alertmanager durch eine Stummschaltung stummgeschaltet, die nicht von dieser Konsole stammt</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>Since (UTC)</source>
        <translation>Seit (UTC)</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Where the alert comes from: the quota database, Alertmanager, or both</source>
        <translation>Woher der Alarm kommt: aus der Quota-Datenbank, aus Alertmanager oder aus beiden</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <source>Acknowledged by %1 at %2</source>
        <translation>Bestätigt von %1 um %2</translation>
    </message>
    <message>
        <source>Silenced until</source>
        <translation>Stumm bis</translation>
    </message>
    <message>
        <source>End of the Alertmanager silence of the acknowledgement</source>
        <translation>Ende der Alertmanager-Stummschaltung der Bestätigung</translation>
    </message>
</context>
<context>
    <name>qc::models::AuditModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>The database role that acted (session_user)</source>
        <translation>Die Datenbankrolle, die gehandelt hat (session_user)</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>created</source>
        <translation>erstellt</translation>
    </message>
    <message>
        <source>Client action id</source>
        <translation>Client-Aktions-ID</translation>
    </message>
</context>
<context>
    <name>qc::models::BlockModel</name>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>lifted</source>
        <translation>aufgehoben</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>geplant</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>From (UTC)</source>
        <translation>Von (UTC)</translation>
    </message>
    <message>
        <source>Until (UTC)</source>
        <translation>Bis (UTC)</translation>
    </message>
    <message>
        <source>permanent</source>
        <translation>dauerhaft</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>auto: made by an abuse pattern; manual: by an operator</source>
        <translation>auto: von einem Missbrauchsmuster erstellt; manuell: von einer Bedienperson</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Vorfall</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>#%1 (%2)</source>
        <translation>#%1 (%2)</translation>
    </message>
    <message>
        <source>The abuse incident that made an automatic block</source>
        <translation>Der Missbrauchsvorfall, der eine automatische Sperre ausgelöst hat</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Lifted</source>
        <translation>Aufgehoben</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1 von %2</translation>
    </message>
</context>
<context>
    <name>qc::models::BuggyClientModel</name>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Collisions (24 h)</source>
        <translation>Kollisionen (24 h)</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Same key, different request parameters</source>
        <translation>Gleicher Schlüssel, andere Anfrageparameter</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Verspätet</translation>
    </message>
    <message>
        <source>Same key more than 5 minutes after the first request</source>
        <translation>Gleicher Schlüssel mehr als 5 Minuten nach der ersten Anfrage</translation>
    </message>
    <message>
        <source>User agent</source>
        <translation>User-Agent</translation>
    </message>
    <message>
        <source>Same key from a different user agent</source>
        <translation>Gleicher Schlüssel von einem anderen User-Agent</translation>
    </message>
    <message>
        <source>First</source>
        <translation>Erste</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>Letzte</translation>
    </message>
    <message>
        <source>Last key</source>
        <translation>Letzter Schlüssel</translation>
    </message>
</context>
<context>
    <name>qc::models::CollisionModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>parameters, late (over 5 min after the first) or user agent</source>
        <translation>Parameter, verspätet (über 5 min nach der ersten) oder User-Agent</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Einordnung</translation>
    </message>
    <message>
        <source>Every way the request differs from the first one with its key</source>
        <translation>Alle Unterschiede der Anfrage zur ersten mit ihrem Schlüssel</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>After first</source>
        <translation>Nach der ersten</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>First request: %1
User agent then: %2
User agent now: %3</source>
        <translation>Erste Anfrage: %1
User-Agent damals: %2
User-Agent jetzt: %3</translation>
    </message>
</context>
<context>
    <name>qc::models::EndpointHealthModel</name>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>up</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>down</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last scrape</source>
        <translation>Letzter Abruf</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>qc::models::IncidentModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Pattern</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>Pattern kind: %1</source>
        <translation>Art des Musters: %1</translation>
    </message>
    <message>
        <source>The abuse pattern that raised the incident (docs/enforcement.md §8)</source>
        <translation>Das Missbrauchsmuster, das den Vorfall ausgelöst hat (docs/enforcement.md §8)</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Blocked until</source>
        <translation>Gesperrt bis</translation>
    </message>
    <message>
        <source> (block %1)</source>
        <translation> (Sperre %1)</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>What the pattern measured: requests in its window, or cost</source>
        <translation>Was das Muster gemessen hat: Anfragen in seinem Fenster oder Kosten</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>The request that raised it</source>
        <translation>Die Anfrage, die ihn ausgelöst hat</translation>
    </message>
</context>
<context>
    <name>qc::models::JsonDiffModel</name>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
</context>
<context>
    <name>qc::models::PlanChangeModel</name>
    <message>
        <source>Effective (UTC)</source>
        <translation>Gültig ab (UTC)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Grace until</source>
        <translation>Schonfrist bis</translation>
    </message>
    <message>
        <source>After a downgrade the previous plan&apos;s quota applies until then</source>
        <translation>Nach einem Downgrade gilt bis dahin das Kontingent des vorherigen Tarifs</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>qc::models::RateLimitModel</name>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>%1 (shadow)</source>
        <translation>%1 (Schatten)</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>Algorithmus</translation>
    </message>
    <message>
        <source>token bucket, a token per %1</source>
        <translation>Token-Bucket, ein Token pro %1</translation>
    </message>
    <message>
        <source>sliding window of %1</source>
        <translation>gleitendes Fenster von %1</translation>
    </message>
    <message>
        <source>fixed window of %1</source>
        <translation>festes Fenster von %1</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>(everyone)</source>
        <translation>(alle)</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Verbraucht</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Count (fixed window), estimate (sliding window) or tokens taken</source>
        <translation>Zähler (festes Fenster), Schätzung (gleitendes Fenster) oder entnommene Token</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Verbleibend</translation>
    </message>
    <message>
        <source>Requests this rule would still admit now</source>
        <translation>Anfragen, die diese Regel jetzt noch zulassen würde</translation>
    </message>
    <message>
        <source>Resets</source>
        <translation>Zurückgesetzt</translation>
    </message>
    <message>
        <source>Next request</source>
        <translation>Nächste Anfrage</translation>
    </message>
    <message>
        <source>admitted</source>
        <translation>zugelassen</translation>
    </message>
    <message>
        <source>would be denied</source>
        <translation>würde abgelehnt</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>What this rule decides for a request now (as quota_check would)</source>
        <translation>Was diese Regel jetzt für eine Anfrage entscheidet (wie quota_check)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
</context>
<context>
    <name>qc::models::ReasonCountModel</name>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>Ablehnungen</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
</context>
<context>
    <name>qc::models::RelatedModel</name>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>Ablehnungen</translation>
    </message>
</context>
<context>
    <name>qc::models::RequestLogModel</name>
    <message>
        <source>parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>late</source>
        <translation>verspätet</translation>
    </message>
    <message>
        <source>user agent</source>
        <translation>User-Agent</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <source>Failed open: the quota check did not answer, the request was let through without limits.</source>
        <translation>Fail-open: Die Quota-Prüfung hat nicht geantwortet, die Anfrage wurde ohne Begrenzung durchgelassen.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>would deny: %1</source>
        <translation>würde ablehnen: %1</translation>
    </message>
    <message>
        <source>The rule that denied the request; shadow rules that would have</source>
        <translation>Die Regel, die die Anfrage abgelehnt hat; Schattenregeln, die es getan hätten</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>Forwarded for: %1</source>
        <translation>Weitergeleitet für: %1</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Check ms</source>
        <translation>Prüfung ms</translation>
    </message>
    <message>
        <source>Time the quota check took</source>
        <translation>Dauer der Quota-Prüfung</translation>
    </message>
    <message>
        <source>Response ms</source>
        <translation>Antwort ms</translation>
    </message>
    <message>
        <source>Collision</source>
        <translation>Kollision</translation>
    </message>
    <message>
        <source>Idempotency-key collision: different parameters, late, user agent</source>
        <translation>Idempotenzschlüssel-Kollision: andere Parameter, verspätet, User-Agent</translation>
    </message>
    <message>
        <source>Request id</source>
        <translation>Anfrage-ID</translation>
    </message>
    <message>
        <source>User agent</source>
        <translation>User-Agent</translation>
    </message>
    <message>
        <source>Idempotency key</source>
        <translation>Idempotenzschlüssel</translation>
    </message>
</context>
<context>
    <name>qc::models::SpanTopModel</name>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>Ablehnungen</translation>
    </message>
    <message>
        <source>Denied %</source>
        <translation>Abgelehnt %</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
</context>
<context>
    <name>qc::models::TimeSeriesModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
</context>
<context>
    <name>qc::models::TopListModel</name>
    <message>
        <source>Double-click to investigate %1</source>
        <translation>Doppelklick, um %1 zu untersuchen</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>Ablehnungen</translation>
    </message>
    <message>
        <source>Denial %</source>
        <translation>Ablehnung %</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>p95 ms</source>
        <translation>p95 ms</translation>
    </message>
</context>
<context>
    <name>qc::models::UsageModel</name>
    <message>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Verbraucht</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>Kontingent</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>Used %</source>
        <translation>Verbraucht %</translation>
    </message>
    <message>
        <source>over</source>
        <translation>überschritten</translation>
    </message>
    <message>
        <source>Quota of plan</source>
        <translation>Kontingent des Tarifs</translation>
    </message>
    <message>
        <source>The plan whose quota applies (the previous one during a downgrade&apos;s grace)</source>
        <translation>Der Tarif, dessen Kontingent gilt (während der Schonfrist eines Downgrades der vorherige)</translation>
    </message>
    <message>
        <source>Cycle since</source>
        <translation>Zyklus seit</translation>
    </message>
</context>
<context>
    <name>qc::models::display</name>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>vor %1</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>in %1</translation>
    </message>
</context>
<context>
    <name>qc::services::ConnectionProfile</name>
    <message>
        <source>%1: the URL %2 must start with http:// or https://</source>
        <translation>%1: Die URL %2 muss mit http:// oder https:// beginnen</translation>
    </message>
    <message>
        <source>%1: the URL %2 has no host</source>
        <translation>%1: Die URL %2 hat keinen Host</translation>
    </message>
    <message>
        <source>%1: basic authentication needs a user name</source>
        <translation>%1: Basic-Authentifizierung braucht einen Benutzernamen</translation>
    </message>
    <message>
        <source>%1: a client certificate needs both the certificate and the key file</source>
        <translation>%1: Ein Client-Zertifikat braucht sowohl die Zertifikats- als auch die Schlüsseldatei</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 enthält kein PEM-Zertifikat</translation>
    </message>
    <message>
        <source>%1 holds no unencrypted PEM private key (RSA, EC or DSA)</source>
        <translation>%1 enthält keinen unverschlüsselten privaten PEM-Schlüssel (RSA, EC oder DSA)</translation>
    </message>
    <message>
        <source>The profile needs a name.</source>
        <translation>Das Profil braucht einen Namen.</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Read-only replica: %1</source>
        <translation>Schreibgeschütztes Replikat: %1</translation>
    </message>
    <message>
        <source>Metrics endpoint %1 has no URL.</source>
        <translation>Metrik-Endpunkt %1 hat keine URL.</translation>
    </message>
    <message>
        <source>Metrics endpoint %1</source>
        <translation>Metrik-Endpunkt %1</translation>
    </message>
    <message>
        <source>Prometheus</source>
        <translation>Prometheus</translation>
    </message>
    <message>
        <source>Alertmanager</source>
        <translation>Alertmanager</translation>
    </message>
    <message>
        <source>The scrape interval must be between 1 s and 1 h.</source>
        <translation>Das Abrufintervall muss zwischen 1 s und 1 h liegen.</translation>
    </message>
</context>
<context>
    <name>qc::services::ConnectionTester</name>
    <message>
        <source>Enter a URL such as https://gateway.example.org:9100/metrics.</source>
        <translation>Geben Sie eine URL wie https://gateway.example.org:9100/metrics ein.</translation>
    </message>
    <message>
        <source>No network access.</source>
        <translation>Kein Netzwerkzugang.</translation>
    </message>
    <message>
        <source>The TLS handshake failed: %1. Set the CA file for a private CA, or check that the certificate matches the host name.</source>
        <translation>Der TLS-Handshake ist fehlgeschlagen: %1. Setzen Sie die CA-Datei für eine private CA, oder prüfen Sie, ob das Zertifikat zum Hostnamen passt.</translation>
    </message>
    <message>
        <source>The host name of %1 could not be resolved (DNS). Check its spelling.</source>
        <translation>Der Hostname von %1 konnte nicht aufgelöst werden (DNS). Prüfen Sie die Schreibweise.</translation>
    </message>
    <message>
        <source>%1 refused the connection: nothing listens on that port.</source>
        <translation>%1 hat die Verbindung abgelehnt: An diesem Port lauscht nichts.</translation>
    </message>
    <message>
        <source>%1 did not answer within 10 s.</source>
        <translation>%1 hat nicht innerhalb von 10 s geantwortet.</translation>
    </message>
    <message>
        <source>The TLS handshake with %1 failed: %2</source>
        <translation>Der TLS-Handshake mit %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 asks for authentication (HTTP 401): check the user, password or token.</source>
        <translation>%1 verlangt eine Authentifizierung (HTTP 401): Prüfen Sie Benutzer, Passwort oder Token.</translation>
    </message>
    <message>
        <source>%1 refused access (HTTP 403): the credentials are valid but not allowed there.</source>
        <translation>%1 hat den Zugriff verweigert (HTTP 403): Die Zugangsdaten sind gültig, dort aber nicht erlaubt.</translation>
    </message>
    <message>
        <source>%1 does not exist (HTTP 404): check the path.</source>
        <translation>%1 existiert nicht (HTTP 404): Prüfen Sie den Pfad.</translation>
    </message>
    <message>
        <source>%1 answered HTTP %2 %3.</source>
        <translation>%1 hat mit HTTP %2 %3 geantwortet.</translation>
    </message>
    <message>
        <source>The page is not a valid metrics exposition: line %1</source>
        <translation>Die Seite ist keine gültige Metrik-Ausgabe: Zeile %1</translation>
    </message>
    <message>
        <source>%1 metric families, %2 of them quota metrics</source>
        <translation>%1 Metrikfamilien, davon %2 Quota-Metriken</translation>
    </message>
    <message>
        <source>The page has %1 metric families but none of the quota services&apos; (quota_decisions_total, quota_check_duration_seconds, ...): is this the right endpoint?</source>
        <translation>Die Seite hat %1 Metrikfamilien, aber keine der Quota-Dienste (quota_decisions_total, quota_check_duration_seconds, ...): Ist das der richtige Endpunkt?</translation>
    </message>
    <message>
        <source>The server answered, but not like the Prometheus HTTP API: is the URL the server&apos;s root (e.g. http://prometheus:9090/)?</source>
        <translation>Der Server hat geantwortet, aber nicht wie die Prometheus-HTTP-API: Ist die URL die Wurzel des Servers (z. B. http://prometheus:9090/)?</translation>
    </message>
    <message>
        <source>Prometheus %1</source>
        <translation>Prometheus %1</translation>
    </message>
    <message>
        <source>The server answered, but not like the Alertmanager API v2: is the URL the server&apos;s root (e.g. http://alertmanager:9093/)?</source>
        <translation>Der Server hat geantwortet, aber nicht wie die Alertmanager-API v2: Ist die URL die Wurzel des Servers (z. B. http://alertmanager:9093/)?</translation>
    </message>
    <message>
        <source>Alertmanager %1</source>
        <translation>Alertmanager %1</translation>
    </message>
</context>
<context>
    <name>qc::services::ConsoleSettings</name>
    <message>
        <source>%1 is not a valid settings file; the defaults are used and the file is replaced when settings are saved</source>
        <translation>%1 ist keine gültige Einstellungsdatei; es gelten die Voreinstellungen, und die Datei wird beim Speichern der Einstellungen ersetzt</translation>
    </message>
    <message>
        <source>cannot read the settings file %1</source>
        <translation>Die Einstellungsdatei %1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>cannot write the settings file %1</source>
        <translation>Die Einstellungsdatei %1 kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>qc::services::DashboardSeries</name>
    <message>
        <source>p95 quota-check latency</source>
        <translation>p95-Latenz der Quota-Prüfung</translation>
    </message>
    <message>
        <source>p95 (database rollups)</source>
        <translation>p95 (Datenbank-Rollups)</translation>
    </message>
    <message>
        <source>p95 (live scrapes)</source>
        <translation>p95 (Live-Abrufe)</translation>
    </message>
    <message>
        <source>p95 (Prometheus)</source>
        <translation>p95 (Prometheus)</translation>
    </message>
    <message>
        <source>Denial rate by reason</source>
        <translation>Ablehnungsrate nach Grund</translation>
    </message>
    <message>
        <source>all reasons</source>
        <translation>alle Gründe</translation>
    </message>
    <message>
        <source>Idempotency collision rate</source>
        <translation>Idempotenz-Kollisionsrate</translation>
    </message>
    <message>
        <source>collisions per request</source>
        <translation>Kollisionen pro Anfrage</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>/min</source>
        <translation>/min</translation>
    </message>
    <message>
        <source>requests/min</source>
        <translation>Anfragen/min</translation>
    </message>
    <message>
        <source>denied/min</source>
        <translation>abgelehnt/min</translation>
    </message>
    <message>
        <source>requests/min (live scrapes)</source>
        <translation>Anfragen/min (Live-Abrufe)</translation>
    </message>
    <message>
        <source>requests/min (Prometheus)</source>
        <translation>Anfragen/min (Prometheus)</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>$/h</source>
        <translation>$/h</translation>
    </message>
    <message>
        <source>cost per hour</source>
        <translation>Kosten pro Stunde</translation>
    </message>
</context>
<context>
    <name>qc::services::DatabaseWorker</name>
    <message>
        <source>setting up the session failed (%1): %2</source>
        <translation>Einrichten der Sitzung fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>superseded by a newer request</source>
        <translation>durch eine neuere Anfrage ersetzt</translation>
    </message>
    <message>
        <source>the database is not connected yet</source>
        <translation>die Datenbank ist noch nicht verbunden</translation>
    </message>
    <message>
        <source>the database is unreachable: %1</source>
        <translation>die Datenbank ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>the connection to the database was lost</source>
        <translation>die Verbindung zur Datenbank ist abgebrochen</translation>
    </message>
</context>
<context>
    <name>qc::services::Kpis</name>
    <message>
        <source>/min</source>
        <translation>/min</translation>
    </message>
    <message>
        <source>= no change vs previous %1</source>
        <translation>= unverändert gegenüber vorherigen %1</translation>
    </message>
    <message>
        <source>▲ from 0 in the previous %1</source>
        <translation>▲ von 0 in den vorherigen %1</translation>
    </message>
    <message>
        <source>▲ over 1,000× the previous %1</source>
        <translation>▲ über 1.000× die vorherigen %1</translation>
    </message>
    <message>
        <source>▲ %1× the previous %2</source>
        <translation>▲ %1× die vorherigen %2</translation>
    </message>
    <message>
        <source>%1 %2 % vs previous %3</source>
        <translation>%1 %2 % ggü. vorherigen %3</translation>
    </message>
    <message>
        <source>%1 %2 pp vs previous %3</source>
        <translation>%1 %2 Pp. ggü. vorherigen %3</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 requests, %2 fail-open</source>
        <translation>%1 Anfragen, %2 fail-open</translation>
    </message>
    <message>
        <source>live %1</source>
        <translation>live %1</translation>
    </message>
    <message>
        <source>p95 quota check</source>
        <translation>p95 Quota-Prüfung</translation>
    </message>
    <message>
        <source>%1 checks over %2 ms</source>
        <translation>%1 Prüfungen über %2 ms</translation>
    </message>
    <message>
        <source>no check over %1 ms</source>
        <translation>keine Prüfung über %1 ms</translation>
    </message>
    <message>
        <source>Alert when the p95 is above %1 ms or any check takes over %2 ms.</source>
        <translation>Alarm, wenn das p95 über %1 ms liegt oder eine Prüfung länger als %2 ms dauert.</translation>
    </message>
    <message>
        <source>Denial rate</source>
        <translation>Ablehnungsrate</translation>
    </message>
    <message>
        <source>%1 denied; rate-limited %2</source>
        <translation>%1 abgelehnt; ratenbegrenzt %2</translation>
    </message>
    <message>
        <source>Alert when more than %1 % of requests are denied or rate-limit hits exceed %2/min.</source>
        <translation>Alarm, wenn mehr als %1 % der Anfragen abgelehnt werden oder die Ratenbegrenzungstreffer %2/min übersteigen.</translation>
    </message>
    <message>
        <source>Collision rate</source>
        <translation>Kollisionsrate</translation>
    </message>
    <message>
        <source>%1 idempotency-key collisions</source>
        <translation>%1 Idempotenzschlüssel-Kollisionen</translation>
    </message>
    <message>
        <source>Alert when more than %1 % of idempotent requests collide.</source>
        <translation>Alarm, wenn mehr als %1 % der idempotenten Anfragen kollidieren.</translation>
    </message>
    <message>
        <source>Cost today</source>
        <translation>Kosten heute</translation>
    </message>
    <message>
        <source>%1 (range cost %2)</source>
        <translation>%1 (Kosten im Zeitraum %2)</translation>
    </message>
    <message>
        <source>month to date %1, projected %2</source>
        <translation>Monat bisher %1, hochgerechnet %2</translation>
    </message>
    <message>
        <source>live %1/h</source>
        <translation>live %1/h</translation>
    </message>
    <message>
        <source>Active blocks</source>
        <translation>Aktive Sperren</translation>
    </message>
    <message>
        <source>= as many as %1 ago</source>
        <translation>= so viele wie vor %1</translation>
    </message>
    <message>
        <source>▲ %1 more than %2 ago</source>
        <translation>▲ %1 mehr als vor %2</translation>
    </message>
    <message>
        <source>▼ %1 fewer than %2 ago</source>
        <translation>▼ %1 weniger als vor %2</translation>
    </message>
    <message>
        <source>%1 IPs, %2 networks, %3 users</source>
        <translation>%1 IPs, %2 Netze, %3 Benutzer</translation>
    </message>
    <message>
        <source>Firing alerts</source>
        <translation>Aktive Alarme</translation>
    </message>
    <message>
        <source>%1 acknowledged; %2 raised in the range</source>
        <translation>%1 bestätigt; %2 im Zeitraum ausgelöst</translation>
    </message>
    <message>
        <source>Metrics endpoints</source>
        <translation>Metrik-Endpunkte</translation>
    </message>
    <message>
        <source>%1 of %2 up</source>
        <translation>%1 von %2 erreichbar</translation>
    </message>
    <message>
        <source>DB errors %1</source>
        <translation>DB-Fehler %1</translation>
    </message>
    <message>
        <source>no DB error counter</source>
        <translation>kein DB-Fehlerzähler</translation>
    </message>
    <message>
        <source>Alert when the services report more than %1 database errors a minute.</source>
        <translation>Alarm, wenn die Dienste mehr als %1 Datenbankfehler pro Minute melden.</translation>
    </message>
    <message>
        <source>one check over %1 ms</source>
        <translation>eine Prüfung über %1 ms</translation>
    </message>
</context>
<context>
    <name>qc::services::Preferences</name>
    <message>
        <source>Language: &apos;%1&apos; has no translation; choose one of %2, or the system&apos;s.</source>
        <translation>Sprache: Für „%1“ gibt es keine Übersetzung; wählen Sie eine von %2 oder die des Systems.</translation>
    </message>
    <message>
        <source>Metrics scrape interval: %1 s is out of range; use 1 to %2 s, or 0 for each profile&apos;s own interval.</source>
        <translation>Metrik-Abrufintervall: %1 s liegt außerhalb des Bereichs; verwenden Sie 1 bis %2 s oder 0 für das Intervall jedes Profils.</translation>
    </message>
    <message>
        <source>Log level: &apos;%1&apos; is not a level; use one of %2.</source>
        <translation>Protokollstufe: „%1“ ist keine Stufe; verwenden Sie eine von %2.</translation>
    </message>
    <message>
        <source>Data directory: &apos;%1&apos; is a relative path; give an absolute one, e.g. %2.</source>
        <translation>Datenverzeichnis: „%1“ ist ein relativer Pfad; geben Sie einen absoluten an, z. B. %2.</translation>
    </message>
    <message>
        <source>Data directory: %1 is a file, not a directory.</source>
        <translation>Datenverzeichnis: %1 ist eine Datei, kein Verzeichnis.</translation>
    </message>
    <message>
        <source>Data directory: %1 cannot be written by you (%2 is not writable); choose another directory or change its permissions.</source>
        <translation type="vanished">Datenverzeichnis: %1 ist für Sie nicht beschreibbar (%2 ist schreibgeschützt); wählen Sie ein anderes Verzeichnis oder ändern Sie seine Berechtigungen.</translation>
    </message>
    <message>
        <source>Data directory: %1 cannot be created; choose another directory or check the permissions of %2.</source>
        <translation>Datenverzeichnis: %1 kann nicht angelegt werden; wählen Sie ein anderes Verzeichnis oder prüfen Sie die Berechtigungen von %2.</translation>
    </message>
    <message>
        <source>Data directory: %1 cannot be written by you; choose another directory or change its permissions.</source>
        <translation>Datenverzeichnis: %1 ist für Sie nicht beschreibbar; wählen Sie ein anderes Verzeichnis oder ändern Sie seine Berechtigungen.</translation>
    </message>
</context>
<context>
    <name>qc::services::SecretStore</name>
    <message>
        <source>the system keychain could not be used (%1); secrets are kept nowhere else (a desktop session with a Secret Service, e.g. gnome-keyring, provides one)</source>
        <translation>der Schlüsselbund des Systems konnte nicht verwendet werden (%1); Geheimnisse werden nirgendwo anders abgelegt (eine Desktop-Sitzung mit einem Secret Service, z. B. gnome-keyring, stellt einen bereit)</translation>
    </message>
</context>
<context>
    <name>qc::services::Session</name>
    <message>
        <source>Prometheus: %1</source>
        <translation>Prometheus: %1</translation>
    </message>
    <message>
        <source>Metrics endpoint %1: %2</source>
        <translation>Metrik-Endpunkt %1: %2</translation>
    </message>
    <message>
        <source>Metrics endpoint %1 is not answering: %2</source>
        <translation>Metrik-Endpunkt %1 antwortet nicht: %2</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>Betrachter</translation>
    </message>
    <message>
        <source>no quota role</source>
        <translation>keine Quota-Rolle</translation>
    </message>
    <message>
        <source>Connect to a quota database first.</source>
        <translation>Verbinden Sie sich zuerst mit einer Quota-Datenbank.</translation>
    </message>
    <message>
        <source>Needs the %1 role; the connected account is not known yet.</source>
        <translation>Erfordert die Rolle %1; das verbundene Konto ist noch nicht bekannt.</translation>
    </message>
    <message>
        <source>Needs the %1 role; %2 is %3.</source>
        <translation>Erfordert die Rolle %1; %2 ist %3.</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Read-only replica</source>
        <translation>Schreibgeschütztes Replikat</translation>
    </message>
    <message>
        <source>%1 connection failed: %2</source>
        <translation>Verbindung %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 unreachable: %2</source>
        <translation>%1 nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <source>Migrate…</source>
        <translation>Migrieren…</translation>
    </message>
</context>
<context>
    <name>qc::services::TimeRange</name>
    <message>
        <source>15 m</source>
        <translation>15 min</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 h</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30 Tage</translation>
    </message>
    <message>
        <source>last %1</source>
        <translation>letzte %1</translation>
    </message>
    <message>
        <source>last 1 h</source>
        <translation>letzte 1 h</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
</context>
<context>
    <name>qc::ui::About</name>
    <message>
        <source>%1, %2 build, %3</source>
        <translation>%1, %2-Build, %3</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Quota Console %1&lt;/h3&gt;&lt;p&gt;Watch, investigate and steer the rate limits, plan quotas and abuse detection of an API kept in a PostgreSQL quota database.&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Build:&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Qt:&lt;/td&gt;&lt;td&gt;%3 (built with %4)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Licence:&lt;/td&gt;&lt;td&gt;GNU General Public License, version 3 or later (GPL-3.0-or-later)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Log files:&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;This program comes with ABSOLUTELY NO WARRANTY. It is free software: you may redistribute it under the terms of the GPL; see &lt;a href=&quot;https://www.gnu.org/licenses/gpl-3.0.html&quot;&gt;the licence&lt;/a&gt;.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Quota Console %1&lt;/h3&gt;&lt;p&gt;Beobachten, untersuchen und steuern Sie die Ratenbegrenzungen, Tarifkontingente und die Missbrauchserkennung einer API, die in einer PostgreSQL-Quota-Datenbank verwaltet werden.&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Build:&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Qt:&lt;/td&gt;&lt;td&gt;%3 (gebaut mit %4)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Lizenz:&lt;/td&gt;&lt;td&gt;GNU General Public License, Version 3 oder später (GPL-3.0-or-later)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Protokolldateien:&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;Für dieses Programm besteht KEINERLEI GARANTIE. Es ist freie Software: Sie dürfen es unter den Bedingungen der GPL weitergeben; siehe &lt;a href=&quot;https://www.gnu.org/licenses/gpl-3.0.html&quot;&gt;die Lizenz&lt;/a&gt;.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Quota Console</source>
        <translation>Über Quota Console</translation>
    </message>
</context>
<context>
    <name>qc::ui::AcknowledgeDialog</name>
    <message>
        <source>Acknowledge alert</source>
        <translation>Alarm bestätigen</translation>
    </message>
    <message>
        <source>The alert is marked acknowledged in the quota database (when it is there) and silenced in Alertmanager with your note as the silence&apos;s comment.</source>
        <translation>Der Alarm wird in der Quota-Datenbank als bestätigt markiert (sofern er dort ist) und in Alertmanager mit Ihrer Notiz als Kommentar stummgeschaltet.</translation>
    </message>
    <message>
        <source>The alert is marked acknowledged in the quota database with your note.</source>
        <translation>Der Alarm wird in der Quota-Datenbank mit Ihrer Notiz als bestätigt markiert.</translation>
    </message>
    <message>
        <source>What is being done about it (required; the team sees it)</source>
        <translation>Was dagegen unternommen wird (erforderlich; das Team sieht es)</translation>
    </message>
    <message>
        <source>Until it resolves</source>
        <translation>Bis er sich auflöst</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>4 hours</source>
        <translation>4 Stunden</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>Until…</source>
        <translation>Bis…</translation>
    </message>
    <message>
        <source>How long the Alertmanager silence lasts; it ends when the alert resolves in any case</source>
        <translation>Wie lange die Alertmanager-Stummschaltung dauert; sie endet auf jeden Fall, wenn sich der Alarm auflöst</translation>
    </message>
    <message>
        <source>Needs an Alertmanager in the connection profile</source>
        <translation>Erfordert einen Alertmanager im Verbindungsprofil</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Notiz:</translation>
    </message>
    <message>
        <source>&amp;Silence:</source>
        <translation>&amp;Stummschaltung:</translation>
    </message>
    <message>
        <source>Until:</source>
        <translation>Bis:</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Write a note: it tells the team what is being done.</source>
        <translation>Schreiben Sie eine Notiz: Sie sagt dem Team, was unternommen wird.</translation>
    </message>
    <message>
        <source>The end must be in the future.</source>
        <translation>Das Ende muss in der Zukunft liegen.</translation>
    </message>
</context>
<context>
    <name>qc::ui::ActivityChart</name>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>Ablehnungen</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>Drag across the chart to investigate that span</source>
        <translation>Ziehen Sie über das Diagramm, um diesen Zeitraum zu untersuchen</translation>
    </message>
</context>
<context>
    <name>qc::ui::AlertNotifier</name>
    <message>
        <source>Quota Console</source>
        <translation>Quota Console</translation>
    </message>
    <message>
        <source>Show alerts</source>
        <translation>Alarme zeigen</translation>
    </message>
    <message>
        <source>Notify me of new alerts</source>
        <translation>Über neue Alarme benachrichtigen</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>A new alert fired; click to see it.</source>
        <translation>Ein neuer Alarm wurde ausgelöst; klicken Sie, um ihn zu sehen.</translation>
    </message>
</context>
<context>
    <name>qc::ui::AlertsPage</name>
    <message>
        <source>Show resolved (24 h)</source>
        <translation>Aufgelöste zeigen (24 h)</translation>
    </message>
    <message>
        <source>Desktop notification for new alerts</source>
        <translation>Desktop-Benachrichtigung bei neuen Alarmen</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>Bestätigen…</translation>
    </message>
    <message>
        <source>Un-acknowledge…</source>
        <translation>Bestätigung zurücknehmen…</translation>
    </message>
    <message>
        <source>Filter the list</source>
        <translation>Liste filtern</translation>
    </message>
    <message>
        <source>Acknowledge the selected alert with a note</source>
        <translation>Den gewählten Alarm mit einer Notiz bestätigen</translation>
    </message>
    <message>
        <source>Take the acknowledgement back: the alert fires again</source>
        <translation>Die Bestätigung zurücknehmen: Der Alarm ist wieder aktiv</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Alerts&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Alarme&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>The database&apos;s and Alertmanager&apos;s alerts; acknowledge with a note</source>
        <translation>Die Alarme der Datenbank und von Alertmanager; mit einer Notiz bestätigen</translation>
    </message>
    <message numerus="yes">
        <source>%n firing</source>
        <translation>
            <numerusform>%n aktiv</numerusform>
            <numerusform>%n aktiv</numerusform>
        </translation>
    </message>
    <message>
        <source>database: read %1 UTC</source>
        <translation>Datenbank: gelesen %1 UTC</translation>
    </message>
    <message>
        <source>database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>no Alertmanager in this connection profile</source>
        <translation>kein Alertmanager in diesem Verbindungsprofil</translation>
    </message>
    <message>
        <source>Alertmanager: %1</source>
        <translation>Alertmanager: %1</translation>
    </message>
    <message>
        <source>Select a firing alert</source>
        <translation>Wählen Sie einen aktiven Alarm</translation>
    </message>
    <message>
        <source>Select an acknowledged alert</source>
        <translation>Wählen Sie einen bestätigten Alarm</translation>
    </message>
    <message>
        <source>%1 — %2 (%3), %4</source>
        <translation>%1 — %2 (%3), %4</translation>
    </message>
    <message>
        <source>Labels: %1</source>
        <translation>Labels: %1</translation>
    </message>
    <message>
        <source>Since %1 UTC</source>
        <translation>Seit %1 UTC</translation>
    </message>
    <message>
        <source>, resolved %1 UTC</source>
        <translation>, aufgelöst %1 UTC</translation>
    </message>
    <message>
        <source>Acknowledged by %1 at %2 UTC: %3</source>
        <translation>Bestätigt von %1 um %2 UTC: %3</translation>
    </message>
    <message>
        <source>Silence %1 by %2 until %3 UTC: %4</source>
        <translation>Stummschaltung %1 von %2 bis %3 UTC: %4</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Un-acknowledge</source>
        <translation>Bestätigung zurücknehmen</translation>
    </message>
    <message>
        <source>%1 will show as firing again and its silence in Alertmanager ends.</source>
        <translation>%1 wird wieder als aktiv angezeigt, und seine Stummschaltung in Alertmanager endet.</translation>
    </message>
    <message>
        <source>That alert is no longer in the list.</source>
        <translation>Dieser Alarm ist nicht mehr in der Liste.</translation>
    </message>
    <message>
        <source>Acknowledging %1…</source>
        <translation>%1 wird bestätigt…</translation>
    </message>
    <message>
        <source>Taking the acknowledgement of %1 back…</source>
        <translation>Bestätigung von %1 wird zurückgenommen…</translation>
    </message>
    <message>
        <source>Filter alerts</source>
        <translation>Alarme filtern</translation>
    </message>
    <message>
        <source>Alert details</source>
        <translation>Details des Alarms</translation>
    </message>
</context>
<context>
    <name>qc::ui::AuditPage</name>
    <message>
        <source>Who (role)</source>
        <translation>Wer (Rolle)</translation>
    </message>
    <message>
        <source>What (e.g. block, change_plan)</source>
        <translation>Was (z. B. block, change_plan)</translation>
    </message>
    <message>
        <source>Target contains (e.g. user:u42, ip:203.0.113.7)</source>
        <translation>Ziel enthält (z. B. user:u42, ip:203.0.113.7)</translation>
    </message>
    <message>
        <source>Refresh and verify</source>
        <translation>Aktualisieren und prüfen</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Audit log&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Audit-Protokoll&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>Who did what, when and why; the hash chain verified</source>
        <translation>Wer hat was wann und warum getan; die Hash-Kette geprüft</translation>
    </message>
    <message>
        <source>Could not read the audit log: %1</source>
        <translation>Das Audit-Protokoll konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;⚠ The audit log does not verify.&lt;/b&gt; Row %1 (or the row before it) was changed, deleted or inserted outside the audited functions: its hash does not match the chain. Treat the entries from row %1 on as untrustworthy and tell whoever administers the database.</source>
        <translation>&lt;b&gt;⚠ Das Audit-Protokoll lässt sich nicht verifizieren.&lt;/b&gt; Zeile %1 (oder die Zeile davor) wurde außerhalb der auditierten Funktionen geändert, gelöscht oder eingefügt: Ihr Hash passt nicht zur Kette. Betrachten Sie die Einträge ab Zeile %1 als nicht vertrauenswürdig und informieren Sie die Datenbankadministration.</translation>
    </message>
    <message>
        <source>✓ The hash chain of the audit log verifies (checked %1 UTC by quota.verify_audit_chain()).</source>
        <translation>✓ Die Hash-Kette des Audit-Protokolls ist gültig (geprüft %1 UTC durch quota.verify_audit_chain()).</translation>
    </message>
    <message>
        <source>#%1 · %2 UTC · %3 · %4 %5
Why: %6
Client action id: %7
Result: %8</source>
        <translation>#%1 · %2 UTC · %3 · %4 %5
Warum: %6
Client-Aktions-ID: %7
Ergebnis: %8</translation>
    </message>
    <message>
        <source>(no reason given)</source>
        <translation>(kein Grund angegeben)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Ausführende Person</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>Before and after</source>
        <translation>Vorher und nachher</translation>
    </message>
    <message>
        <source>Audit entry</source>
        <translation>Protokolleintrag</translation>
    </message>
</context>
<context>
    <name>qc::ui::BannerArea</name>
    <message>
        <source> — since %1</source>
        <translation> — seit %1</translation>
    </message>
    <message>
        <source>, retrying in %1 s</source>
        <translation>, neuer Versuch in %1 s</translation>
    </message>
    <message>
        <source>, retrying now</source>
        <translation>, neuer Versuch jetzt</translation>
    </message>
</context>
<context>
    <name>qc::ui::BaselineWidget</name>
    <message>
        <source>Copy into candidate</source>
        <translation>In den Kandidaten kopieren</translation>
    </message>
    <message>
        <source>Start the candidate from the baseline (replaces the candidate&apos;s text)</source>
        <translation>Den Kandidaten mit der Basislinie beginnen (ersetzt den Text des Kandidaten)</translation>
    </message>
    <message>
        <source>Active policy version</source>
        <translation>Aktive Richtlinienversion</translation>
    </message>
    <message>
        <source>Version %1%2 — %3</source>
        <translation>Version %1%2 — %3</translation>
    </message>
    <message>
        <source> (active)</source>
        <translation> (aktiv)</translation>
    </message>
    <message>
        <source>Built-in default policy</source>
        <translation>Eingebaute Standardrichtlinie</translation>
    </message>
    <message>
        <source>Policy saved with the workspace</source>
        <translation>Mit dem Arbeitsbereich gespeicherte Richtlinie</translation>
    </message>
    <message>
        <source>Policy file…</source>
        <translation>Richtliniendatei…</translation>
    </message>
    <message>
        <source>Baseline policy</source>
        <translation>Basis-Richtlinie</translation>
    </message>
    <message>
        <source>Policies (*.json);;All files (*)</source>
        <translation>Richtlinien (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>default policy</source>
        <translation>Standardrichtlinie</translation>
    </message>
    <message>
        <source>policy saved with the workspace</source>
        <translation>mit dem Arbeitsbereich gespeicherte Richtlinie</translation>
    </message>
    <message>
        <source>Connect to a quota database to compare with its policy versions.</source>
        <translation>Verbinden Sie sich mit einer Quota-Datenbank, um mit ihren Richtlinienversionen zu vergleichen.</translation>
    </message>
    <message>
        <source>active policy version</source>
        <translation>aktive Richtlinienversion</translation>
    </message>
    <message>
        <source>policy version %1</source>
        <translation>Richtlinienversion %1</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message>
        <source>This baseline cannot be used: %1</source>
        <translation>Diese Basislinie kann nicht verwendet werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n rule(s), </source>
        <translation>
            <numerusform>%1: %n Regel, </numerusform>
            <numerusform>%1: %n Regeln, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s), </source>
        <translation>
            <numerusform>%n Tarif, </numerusform>
            <numerusform>%n Tarife, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n abuse pattern(s).</source>
        <translation>
            <numerusform>%n Missbrauchsmuster.</numerusform>
            <numerusform>%n Missbrauchsmuster.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qc::ui::BlockDialog</name>
    <message numerus="yes">
        <source>Block %n identifier(s)</source>
        <translation>
            <numerusform>%n Kennung sperren</numerusform>
            <numerusform>%n Kennungen sperren</numerusform>
        </translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>203.0.113.7, 198.51.100.0/24, 2001:db8:1:2::/64 or a user id</source>
        <translation>203.0.113.7, 198.51.100.0/24, 2001:db8:1:2::/64 oder eine Benutzer-ID</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Network (CIDR)</source>
        <translation>Netz (CIDR)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>&amp;Identifier:</source>
        <translation>&amp;Kennung:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message numerus="yes">
        <source>
… and %n more</source>
        <translation>
            <numerusform>
… und %n weitere</numerusform>
            <numerusform>
… und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Identifiers:</source>
        <translation>Kennungen:</translation>
    </message>
    <message>
        <source>Why (required; recorded in the audit log)</source>
        <translation>Warum (erforderlich; wird im Audit-Protokoll festgehalten)</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 Tage</translation>
    </message>
    <message>
        <source>Permanent (until unblocked)</source>
        <translation>Dauerhaft (bis zur Entsperrung)</translation>
    </message>
    <message>
        <source>Until…</source>
        <translation>Bis…</translation>
    </message>
    <message>
        <source>&amp;Duration:</source>
        <translation>&amp;Dauer:</translation>
    </message>
    <message>
        <source>Until:</source>
        <translation>Bis:</translation>
    </message>
    <message>
        <source>Type the address, network or user id to block.</source>
        <translation>Geben Sie die Adresse, das Netz oder die Benutzer-ID ein, die gesperrt werden soll.</translation>
    </message>
    <message>
        <source>%1 is a network: choose “Network (CIDR)”.</source>
        <translation>%1 ist ein Netz: Wählen Sie „Netz (CIDR)“.</translation>
    </message>
    <message>
        <source>%1 is not an IP address; use e.g. 203.0.113.7 or 2001:db8::1.</source>
        <translation>%1 ist keine IP-Adresse; verwenden Sie z. B. 203.0.113.7 oder 2001:db8::1.</translation>
    </message>
    <message>
        <source>%1 is not a network; use e.g. 198.51.100.0/24 or 2001:db8:1:2::/64.</source>
        <translation>%1 ist kein Netz; verwenden Sie z. B. 198.51.100.0/24 oder 2001:db8:1:2::/64.</translation>
    </message>
    <message>
        <source>%1 has bits set after the prefix; the network is %2.</source>
        <translation>%1 hat Bits nach dem Präfix gesetzt; das Netz ist %2.</translation>
    </message>
    <message>
        <source>Unknown target “%1”.</source>
        <translation>Unbekanntes Ziel „%1“.</translation>
    </message>
    <message>
        <source>A reason is required: it goes to the audit log.</source>
        <translation>Ein Grund ist erforderlich: Er kommt ins Audit-Protokoll.</translation>
    </message>
    <message>
        <source>The end must be in the future.</source>
        <translation>Das Ende muss in der Zukunft liegen.</translation>
    </message>
    <message numerus="yes">
        <source>Requests from %n identifier(s) get 403 blocked until %1 UTC.</source>
        <translation>
            <numerusform>Anfragen von %n Kennung erhalten bis %1 UTC „403 blocked“.</numerusform>
            <numerusform>Anfragen von %n Kennungen erhalten bis %1 UTC „403 blocked“.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Requests from %n identifier(s) get 403 blocked until someone unblocks them.</source>
        <translation>
            <numerusform>Anfragen von %n Kennung erhalten „403 blocked“, bis jemand die Sperre aufhebt.</numerusform>
            <numerusform>Anfragen von %n Kennungen erhalten „403 blocked“, bis jemand die Sperre aufhebt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qc::ui::BlocksPage</name>
    <message>
        <source>Show ended and lifted blocks</source>
        <translation>Abgelaufene und aufgehobene Sperren zeigen</translation>
    </message>
    <message>
        <source>Block…</source>
        <translation>Sperren…</translation>
    </message>
    <message>
        <source>Unblock…</source>
        <translation>Entsperren…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Filter the list</source>
        <translation>Liste filtern</translation>
    </message>
    <message>
        <source>Block an IP address, a network or a user</source>
        <translation>Eine IP-Adresse, ein Netz oder einen Benutzer sperren</translation>
    </message>
    <message>
        <source>Lift the selected blocks</source>
        <translation>Die gewählten Sperren aufheben</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Blocks&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Sperren&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Blocked IP addresses, networks and users; block and unblock</source>
        <translation>Gesperrte IP-Adressen, Netze und Benutzer; sperren und entsperren</translation>
    </message>
    <message>
        <source>Could not read the blocks: %1</source>
        <translation>Die Sperren konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Could not read the blocks</source>
        <translation>Die Sperren konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Select the blocks to lift</source>
        <translation>Wählen Sie die aufzuhebenden Sperren</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>Entsperren</translation>
    </message>
    <message numerus="yes">
        <source>Lift %n block(s)? Requests from these identifiers are admitted again (subject to the rate limits).</source>
        <translation>
            <numerusform>%n Sperre aufheben? Anfragen dieser Kennung werden wieder zugelassen (im Rahmen der Ratenbegrenzungen).</numerusform>
            <numerusform>%n Sperren aufheben? Anfragen dieser Kennungen werden wieder zugelassen (im Rahmen der Ratenbegrenzungen).</numerusform>
        </translation>
    </message>
    <message>
        <source>Block %1 %2</source>
        <translation>%1 %2 sperren</translation>
    </message>
    <message>
        <source>Unblock %1</source>
        <translation>%1 entsperren</translation>
    </message>
    <message numerus="yes">
        <source>Working on %n action(s)…</source>
        <translation>
            <numerusform>%n Aktion in Arbeit…</numerusform>
            <numerusform>%n Aktionen in Arbeit…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) done.</source>
        <translation>
            <numerusform>%n Aktion erledigt.</numerusform>
            <numerusform>%n Aktionen erledigt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) done; these were not:</source>
        <translation>
            <numerusform>%n Aktion erledigt; diese nicht:</numerusform>
            <numerusform>%n Aktionen erledigt; diese nicht:</numerusform>
        </translation>
    </message>
    <message>
        <source>Filter blocks</source>
        <translation>Sperren filtern</translation>
    </message>
</context>
<context>
    <name>qc::ui::CandidateEditor</name>
    <message>
        <source>Add rule</source>
        <translation>Regel hinzufügen</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>Regel entfernen</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Regeln</translation>
    </message>
    <message>
        <source>Add plan</source>
        <translation>Tarif hinzufügen</translation>
    </message>
    <message>
        <source>Remove plan</source>
        <translation>Tarif entfernen</translation>
    </message>
    <message>
        <source>Plans &amp;&amp; quotas</source>
        <translation>Tarife &amp;&amp; Kontingente</translation>
    </message>
    <message>
        <source>Add pattern</source>
        <translation>Muster hinzufügen</translation>
    </message>
    <message>
        <source>Remove pattern</source>
        <translation>Muster entfernen</translation>
    </message>
    <message>
        <source>Abuse patterns</source>
        <translation>Missbrauchsmuster</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>The candidate as a policy file (docs/policy.md); the form and this text are the same policy</source>
        <translation>Der Kandidat als Richtliniendatei (docs/policy.md); Formular und Text sind dieselbe Richtlinie</translation>
    </message>
    <message>
        <source>Click a problem to go to it</source>
        <translation>Klicken Sie auf ein Problem, um dorthin zu springen</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Rules are evaluated in order; the first denying rule is reported</source>
        <translation>Regeln werden der Reihe nach ausgewertet; gemeldet wird die erste ablehnende Regel</translation>
    </message>
    <message>
        <source>Add quota…</source>
        <translation>Kontingent hinzufügen…</translation>
    </message>
    <message>
        <source>A quota metric for every plan (unlimited until you set it)</source>
        <translation>Eine Kontingent-Metrik für jeden Tarif (unbegrenzt, bis Sie sie festlegen)</translation>
    </message>
    <message>
        <source>Add quota</source>
        <translation>Kontingent hinzufügen</translation>
    </message>
    <message>
        <source>Metric (as endpoint_metrics names it, e.g. api_calls):</source>
        <translation>Metrik (wie endpoint_metrics sie nennt, z. B. api_calls):</translation>
    </message>
    <message>
        <source>(default: %1)</source>
        <translation>(Standard: %1)</translation>
    </message>
    <message>
        <source>When the database fails</source>
        <translation>Wenn die Datenbank ausfällt</translation>
    </message>
    <message>
        <source>open: admit requests live while the quota database is unreachable; closed: deny</source>
        <translation>open: Anfragen live zulassen, solange die Quota-Datenbank nicht erreichbar ist; closed: ablehnen</translation>
    </message>
    <message>
        <source>Default plan</source>
        <translation>Standardtarif</translation>
    </message>
    <message>
        <source>first plan</source>
        <translation>erster Tarif</translation>
    </message>
    <message>
        <source>Billing cycle</source>
        <translation>Abrechnungszyklus</translation>
    </message>
    <message>
        <source>Downgrade grace</source>
        <translation>Schonfrist bei Downgrade</translation>
    </message>
    <message>
        <source>Idempotency key lifetime</source>
        <translation>Lebensdauer des Idempotenzschlüssels</translation>
    </message>
    <message>
        <source>Same key, other request</source>
        <translation>Gleicher Schlüssel, andere Anfrage</translation>
    </message>
    <message>
        <source>reject: answer 409 idempotency_conflict; process: decide it as a new request</source>
        <translation>reject: mit 409 idempotency_conflict antworten; process: als neue Anfrage entscheiden</translation>
    </message>
    <message>
        <source>Never limited</source>
        <translation>Nie begrenzt</translation>
    </message>
    <message>
        <source>Trusted proxies</source>
        <translation>Vertrauenswürdige Proxys</translation>
    </message>
    <message>
        <source>Endpoint metrics and the cost model are edited in the JSON view.</source>
        <translation>Endpunkt-Metriken und das Kostenmodell werden in der JSON-Ansicht bearbeitet.</translation>
    </message>
    <message>
        <source>The JSON text has a syntax error; the form shows the last readable version and is read-only until the text is fixed.</source>
        <translation>Der JSON-Text hat einen Syntaxfehler; das Formular zeigt die letzte lesbare Fassung und ist schreibgeschützt, bis der Text korrigiert ist.</translation>
    </message>
    <message numerus="yes">
        <source>Valid policy: %n rule(s), </source>
        <translation>
            <numerusform>Gültige Richtlinie: %n Regel, </numerusform>
            <numerusform>Gültige Richtlinie: %n Regeln, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s), </source>
        <translation>
            <numerusform>%n Tarif, </numerusform>
            <numerusform>%n Tarife, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n abuse pattern(s).</source>
        <translation>
            <numerusform>%n Missbrauchsmuster.</numerusform>
            <numerusform>%n Missbrauchsmuster.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not a valid policy (%n problem(s)); it cannot be simulated or rolled out until fixed.</source>
        <translation>
            <numerusform>Keine gültige Richtlinie (%n Problem); sie kann erst nach der Korrektur simuliert oder ausgerollt werden.</numerusform>
            <numerusform>Keine gültige Richtlinie (%n Probleme); sie kann erst nach der Korrektur simuliert oder ausgerollt werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Plans and quotas</source>
        <translation>Tarife und Kontingente</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
</context>
<context>
    <name>qc::ui::ChangePlanDialog</name>
    <message>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>Change plan of %1</source>
        <translation>Tarif von %1 ändern</translation>
    </message>
    <message>
        <source>Reading the subscription of %1…</source>
        <translation>Abonnement von %1 wird gelesen…</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <source>Used this cycle</source>
        <translation>Verbraucht in diesem Zyklus</translation>
    </message>
    <message>
        <source>Quota now</source>
        <translation>Kontingent jetzt</translation>
    </message>
    <message>
        <source>Quota on new plan</source>
        <translation>Kontingent im neuen Tarif</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Danach</translation>
    </message>
    <message>
        <source>Why (required; recorded in the audit log)</source>
        <translation>Warum (erforderlich; wird im Audit-Protokoll festgehalten)</translation>
    </message>
    <message>
        <source>Change plan</source>
        <translation>Tarif ändern</translation>
    </message>
    <message>
        <source>Change the plan now</source>
        <translation>Den Tarif jetzt ändern</translation>
    </message>
    <message>
        <source>New &amp;plan:</source>
        <translation>Neuer &amp;Tarif:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>Cannot read the subscription: %1</source>
        <translation>Das Abonnement kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; is on &lt;b&gt;%2&lt;/b&gt; (subscription version %3, last changed by %4 at %5 UTC).</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; hat &lt;b&gt;%2&lt;/b&gt; (Abonnementversion %3, zuletzt geändert von %4 am %5 UTC).</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Downgraded from &lt;b&gt;%1&lt;/b&gt;: its quotas apply until %2 UTC.</source>
        <translation>Herabgestuft von &lt;b&gt;%1&lt;/b&gt;: Dessen Kontingente gelten bis %2 UTC.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; has no subscription yet and is on the default plan &lt;b&gt;%2&lt;/b&gt;.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; hat noch kein Abonnement und nutzt den Standardtarif &lt;b&gt;%2&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>%1 (paid, rank %2)</source>
        <translation>%1 (bezahlt, Rang %2)</translation>
    </message>
    <message>
        <source>%1 (rank %2)</source>
        <translation>%1 (Rang %2)</translation>
    </message>
    <message>
        <source>%1 (%2 used of %3)</source>
        <translation>%1 (%2 von %3 verbraucht)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>no requests left</source>
        <translation>keine Anfragen übrig</translation>
    </message>
    <message numerus="yes">
        <source>%n left</source>
        <translation>
            <numerusform>%n übrig</numerusform>
            <numerusform>%n übrig</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a plan.</source>
        <translation>Wählen Sie einen Tarif.</translation>
    </message>
    <message>
        <source>%1 starts on %2 now, with no grace period. Usage this cycle is kept.</source>
        <translation>%1 beginnt jetzt mit %2, ohne Schonfrist. Die Nutzung in diesem Zyklus bleibt erhalten.</translation>
    </message>
    <message>
        <source>Nothing changes: %1 is already on %2.</source>
        <translation>Nichts ändert sich: %1 hat bereits %2.</translation>
    </message>
    <message>
        <source>Downgrade: %1 moves to %2 now, but keeps the quotas of %3 during the grace period of %4, until %5 UTC; then %2&apos;s quotas apply to this cycle&apos;s usage, which is not reset.</source>
        <translation>Downgrade: %1 wechselt jetzt zu %2, behält aber während der Schonfrist von %4 bis %5 UTC die Kontingente von %3; danach gelten die Kontingente von %2 für die Nutzung dieses Zyklus, die nicht zurückgesetzt wird.</translation>
    </message>
    <message>
        <source>Already at or over %1&apos;s quota: %2 — such requests are denied (quota_exceeded) once the grace ends.</source>
        <translation>Bereits am oder über dem Kontingent von %1: %2 — solche Anfragen werden nach der Schonfrist abgelehnt (quota_exceeded).</translation>
    </message>
    <message>
        <source>Upgrade: %2&apos;s quotas apply to %1 at once, on this cycle&apos;s usage (not reset); any downgrade grace ends.</source>
        <translation>Upgrade: Die Kontingente von %2 gelten sofort für %1, auf die Nutzung dieses Zyklus (nicht zurückgesetzt); eine laufende Downgrade-Schonfrist endet.</translation>
    </message>
    <message>
        <source>The subscription has not been read yet.</source>
        <translation>Das Abonnement wurde noch nicht gelesen.</translation>
    </message>
    <message>
        <source>A reason is required: it goes to the audit log.</source>
        <translation>Ein Grund ist erforderlich: Er kommt ins Audit-Protokoll.</translation>
    </message>
    <message>
        <source>Change plan of %1 to %2</source>
        <translation>Tarif von %1 auf %2 ändern</translation>
    </message>
    <message>
        <source>Changing the plan…</source>
        <translation>Tarif wird geändert…</translation>
    </message>
    <message>
        <source>Usage against quota</source>
        <translation>Verbrauch im Verhältnis zum Kontingent</translation>
    </message>
</context>
<context>
    <name>qc::ui::DashboardPage</name>
    <message numerus="yes">
        <source>%n s old</source>
        <translation>
            <numerusform>%n s alt</numerusform>
            <numerusform>%n s alt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min old</source>
        <translation>
            <numerusform>%n min alt</numerusform>
            <numerusform>%n min alt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h old</source>
        <translation>
            <numerusform>%n h alt</numerusform>
            <numerusform>%n h alt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) old</source>
        <translation>
            <numerusform>%n Tag alt</numerusform>
            <numerusform>%n Tage alt</numerusform>
        </translation>
    </message>
    <message>
        <source>Custom time range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Von:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Bis:</translation>
    </message>
    <message>
        <source>Metrics endpoints</source>
        <translation>Metrik-Endpunkte</translation>
    </message>
    <message>
        <source>Top IPs</source>
        <translation>Top-IPs</translation>
    </message>
    <message>
        <source>Top users</source>
        <translation>Top-Benutzer</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>Endpunkte</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>Zeitraum:</translation>
    </message>
    <message>
        <source>Show the last %1 (%2)</source>
        <translation>Die letzten %1 zeigen (%2)</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Eigener…</translation>
    </message>
    <message>
        <source>Choose the start and end of the range (%1)</source>
        <translation>Beginn und Ende des Zeitraums wählen (%1)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Pause or resume the automatic refresh (%1)</source>
        <translation>Die automatische Aktualisierung anhalten oder fortsetzen (%1)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Refresh now (%1)</source>
        <translation>Jetzt aktualisieren (%1)</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>lädt</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message>
        <source>range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>No data: %1</source>
        <translation>Keine Daten: %1</translation>
    </message>
    <message>
        <source>Data from %1 (%2): waiting for the database</source>
        <translation>Daten von %1 (%2): warte auf die Datenbank</translation>
    </message>
    <message>
        <source>Data from %1 (%2) — refresh failed: %3</source>
        <translation>Daten von %1 (%2) — Aktualisierung fehlgeschlagen: %3</translation>
    </message>
    <message>
        <source>fixed range</source>
        <translation>fester Zeitraum</translation>
    </message>
    <message>
        <source>auto-refresh paused</source>
        <translation>automatische Aktualisierung angehalten</translation>
    </message>
    <message>
        <source>refresh every %1 s</source>
        <translation>Aktualisierung alle %1 s</translation>
    </message>
    <message>
        <source>%1 · updated %2 in %3 ms · %4</source>
        <translation>%1 · aktualisiert %2 in %3 ms · %4</translation>
    </message>
    <message>
        <source> · Prometheus: %1</source>
        <translation> · Prometheus: %1</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Live KPIs, charts and top lists</source>
        <translation>Live-KPIs, Diagramme und Toplisten</translation>
    </message>
</context>
<context>
    <name>qc::ui::HeaderBar</name>
    <message>
        <source>Environment of this profile</source>
        <translation>Umgebung dieses Profils</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Connected account and its quota role (%1); server PostgreSQL %2%3</source>
        <translation>Verbundenes Konto und seine Quota-Rolle (%1); Server PostgreSQL %2%3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>, a read-only standby</source>
        <translation>, ein schreibgeschützter Standby</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Connected since %1</source>
        <translation>Verbunden seit %1</translation>
    </message>
    <message>
        <source>Unreachable since %1 — retrying in %2 s</source>
        <translation>Nicht erreichbar seit %1 — neuer Versuch in %2 s</translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation>Verbindung fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>qc::ui::HttpEndpointEditor</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation>PEM-Dateien (*.pem *.crt *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Testen</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Basic (user and password)</source>
        <translation>Basic (Benutzer und Passwort)</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>Bearer-Token</translation>
    </message>
    <message>
        <source>kept in the system keychain</source>
        <translation>im Schlüsselbund des Systems abgelegt</translation>
    </message>
    <message>
        <source>optional: PEM file of a private CA</source>
        <translation>optional: PEM-Datei einer privaten CA</translation>
    </message>
    <message>
        <source>optional: PEM certificate for mutual TLS</source>
        <translation>optional: PEM-Zertifikat für gegenseitiges TLS</translation>
    </message>
    <message>
        <source>PEM private key of that certificate</source>
        <translation>Privater PEM-Schlüssel dieses Zertifikats</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>Authentication:</source>
        <translation>Authentifizierung:</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>CA-Datei:</translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation>CA-Zertifikate</translation>
    </message>
    <message>
        <source>Client certificate:</source>
        <translation>Client-Zertifikat:</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Client key:</source>
        <translation>Client-Schlüssel:</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>Client-Schlüssel</translation>
    </message>
    <message>
        <source>Reachable.</source>
        <translation>Erreichbar.</translation>
    </message>
    <message>
        <source>Reachable: %1</source>
        <translation>Erreichbar: %1</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Teste…</translation>
    </message>
</context>
<context>
    <name>qc::ui::IncidentsPage</name>
    <message>
        <source>Investigate</source>
        <translation>Untersuchen</translation>
    </message>
    <message>
        <source>Block…</source>
        <translation>Sperren…</translation>
    </message>
    <message>
        <source>Any severity</source>
        <translation>Jeder Schweregrad</translation>
    </message>
    <message>
        <source>Filter the list</source>
        <translation>Liste filtern</translation>
    </message>
    <message>
        <source>Block the identifiers of the selected incidents</source>
        <translation>Die Kennungen der gewählten Vorfälle sperren</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Incidents&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Vorfälle&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Vorfälle</translation>
    </message>
    <message>
        <source>Abuse incidents and buggy clients</source>
        <translation>Missbrauchsvorfälle und fehlerhafte Clients</translation>
    </message>
    <message>
        <source>Could not read the incidents: %1</source>
        <translation>Die Vorfälle konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The 1000 newest incidents of the range; narrow it to see older ones.</source>
        <translation>Die 1000 neuesten Vorfälle des Zeitraums; grenzen Sie ihn ein, um ältere zu sehen.</translation>
    </message>
    <message numerus="yes">
        <source>%n incident(s) in the range.</source>
        <translation>
            <numerusform>%n Vorfall im Zeitraum.</numerusform>
            <numerusform>%n Vorfälle im Zeitraum.</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;Buggy clients&lt;/b&gt;: no user had more than %1 idempotency collisions in the last 24 hours.</source>
        <translation>&lt;b&gt;Fehlerhafte Clients&lt;/b&gt;: Kein Benutzer hatte in den letzten 24 Stunden mehr als %1 Idempotenz-Kollisionen.</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Buggy clients&lt;/b&gt;: %n user(s) with more than %1 idempotency collisions in the last 24 hours — their clients reuse keys.</source>
        <translation>
            <numerusform>&lt;b&gt;Fehlerhafte Clients&lt;/b&gt;: %n Benutzer mit mehr als %1 Idempotenz-Kollisionen in den letzten 24 Stunden — ihre Clients verwenden Schlüssel erneut.</numerusform>
            <numerusform>&lt;b&gt;Fehlerhafte Clients&lt;/b&gt;: %n Benutzer mit mehr als %1 Idempotenz-Kollisionen in den letzten 24 Stunden — ihre Clients verwenden Schlüssel erneut.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opening the block dialog for %n identifier(s)…</source>
        <translation>
            <numerusform>Sperrdialog für %n Kennung wird geöffnet…</numerusform>
            <numerusform>Sperrdialog für %n Kennungen wird geöffnet…</numerusform>
        </translation>
    </message>
    <message>
        <source>abuse incident %1</source>
        <translation>Missbrauchsvorfall %1</translation>
    </message>
    <message>
        <source>Block %1 %2</source>
        <translation>%1 %2 sperren</translation>
    </message>
    <message>
        <source>Filter incidents</source>
        <translation>Vorfälle filtern</translation>
    </message>
    <message>
        <source>Buggy clients</source>
        <translation>Fehlerhafte Clients</translation>
    </message>
</context>
<context>
    <name>qc::ui::InvestigatePage</name>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netz</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Investigate</source>
        <translation>Untersuchen</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Block…</source>
        <translation>Sperren…</translation>
    </message>
    <message>
        <source>Change plan…</source>
        <translation>Tarif ändern…</translation>
    </message>
    <message>
        <source>IP (203.0.113.7), network (198.51.100.0/24, 2001:db8:1:2::/64), user id or /endpoint</source>
        <translation>IP (203.0.113.7), Netz (198.51.100.0/24, 2001:db8:1:2::/64), Benutzer-ID oder /endpunkt</translation>
    </message>
    <message>
        <source>Block what is being investigated</source>
        <translation>Das Untersuchte sperren</translation>
    </message>
    <message>
        <source>Change this user&apos;s plan</source>
        <translation>Den Tarif dieses Benutzers ändern</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Denials by reason</source>
        <translation>Ablehnungen nach Grund</translation>
    </message>
    <message>
        <source>Rate limits now</source>
        <translation>Ratenbegrenzungen jetzt</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Vorfälle</translation>
    </message>
    <message>
        <source>Collisions</source>
        <translation>Kollisionen</translation>
    </message>
    <message>
        <source>Plan and usage</source>
        <translation>Tarif und Nutzung</translation>
    </message>
    <message>
        <source>Plan changes</source>
        <translation>Tarifwechsel</translation>
    </message>
    <message>
        <source>Related</source>
        <translation>Verwandt</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>Type an IP address, a network, a user id or an endpoint above, or pick a row of a top list or a span of a chart on the Dashboard to investigate it.</source>
        <translation>Geben Sie oben eine IP-Adresse, ein Netz, eine Benutzer-ID oder einen Endpunkt ein, oder wählen Sie auf dem Dashboard eine Zeile einer Topliste oder einen Zeitraum eines Diagramms, um sie zu untersuchen.</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Investigate&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Untersuchen&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>An IP, network, user or endpoint: requests, denials, blocks, incidents, collisions, plan and rate limits</source>
        <translation>Eine IP, ein Netz, ein Benutzer oder ein Endpunkt: Anfragen, Ablehnungen, Sperren, Vorfälle, Kollisionen, Tarif und Ratenbegrenzungen</translation>
    </message>
    <message>
        <source>Who was active around the alert %1:</source>
        <translation>Wer rund um den Alarm %1 aktiv war:</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Lese…</translation>
    </message>
    <message>
        <source>Could not read the investigation: %1</source>
        <translation>Die Untersuchung konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Timeline read in %1 ms.</source>
        <translation>Zeitleiste in %1 ms gelesen.</translation>
    </message>
    <message>
        <source>Denials by reason (%1)</source>
        <translation>Ablehnungen nach Grund (%1)</translation>
    </message>
    <message>
        <source>Blocks (%1)</source>
        <translation>Sperren (%1)</translation>
    </message>
    <message>
        <source>Incidents (%1)</source>
        <translation>Vorfälle (%1)</translation>
    </message>
    <message>
        <source>Collisions (%1)</source>
        <translation>Kollisionen (%1)</translation>
    </message>
    <message>
        <source>IP addresses</source>
        <translation>IP-Adressen</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>On &lt;b&gt;%1&lt;/b&gt; since %2 UTC (changed by %3).</source>
        <translation>Auf &lt;b&gt;%1&lt;/b&gt; seit %2 UTC (geändert von %3).</translation>
    </message>
    <message>
        <source>No subscription: on the default plan &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>Kein Abonnement: im Standardtarif &lt;b&gt;%1&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>Downgraded from &lt;b&gt;%1&lt;/b&gt;, whose quotas apply until %2 UTC.</source>
        <translation>Herabgestuft von &lt;b&gt;%1&lt;/b&gt;, dessen Kontingente bis %2 UTC gelten.</translation>
    </message>
    <message>
        <source>Some parts could not be read: %1</source>
        <translation>Einige Teile konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 – %2 UTC</source>
        <translation>%1 – %2 UTC</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n Anfrage</numerusform>
            <numerusform>%n Anfragen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 denied (%2)</source>
        <translation>%1 abgelehnt (%2)</translation>
    </message>
    <message>
        <source>cost %1</source>
        <translation>Kosten %1</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation>zuletzt gesehen %1</translation>
    </message>
    <message>
        <source>BLOCKED until %1</source>
        <translation>GESPERRT bis %1</translation>
    </message>
    <message>
        <source>BLOCKED</source>
        <translation>GESPERRT</translation>
    </message>
    <message numerus="yes">
        <source>BUGGY CLIENT: %n collisions in 24 h</source>
        <translation>
            <numerusform>FEHLERHAFTER CLIENT: %n Kollision in 24 h</numerusform>
            <numerusform>FEHLERHAFTER CLIENT: %n Kollisionen in 24 h</numerusform>
        </translation>
    </message>
    <message>
        <source>plan %1</source>
        <translation>Tarif %1</translation>
    </message>
    <message numerus="yes">
        <source>%n incident(s)</source>
        <translation>
            <numerusform>%n Vorfall</numerusform>
            <numerusform>%n Vorfälle</numerusform>
        </translation>
    </message>
    <message>
        <source>Investigate %1</source>
        <translation>%1 untersuchen</translation>
    </message>
    <message>
        <source>Block %1 %2</source>
        <translation>%1 %2 sperren</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 – %2 UTC&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 – %2 UTC&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Reading who was active from %1 to %2 UTC…</source>
        <translation>Lese, wer von %1 bis %2 UTC aktiv war…</translation>
    </message>
    <message>
        <source>Could not read the span: %1</source>
        <translation>Der Zeitraum konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Who was active from %1 to %2 UTC (IPs and users by the hour). Double-click a row to investigate it.</source>
        <translation>Wer von %1 bis %2 UTC aktiv war (IPs und Benutzer nach Stunde). Doppelklicken Sie auf eine Zeile, um sie zu untersuchen.</translation>
    </message>
    <message>
        <source>What to investigate</source>
        <translation>Was untersucht werden soll</translation>
    </message>
    <message>
        <source>Usage against quota</source>
        <translation>Verbrauch im Verhältnis zum Kontingent</translation>
    </message>
    <message>
        <source>Top IPs in the span</source>
        <translation>Häufigste IPs im Zeitraum</translation>
    </message>
    <message>
        <source>Top users in the span</source>
        <translation>Häufigste Benutzer im Zeitraum</translation>
    </message>
    <message>
        <source>Top endpoints in the span</source>
        <translation>Häufigste Endpunkte im Zeitraum</translation>
    </message>
</context>
<context>
    <name>qc::ui::KpiTile</name>
    <message>
        <source>stale: %1</source>
        <translation>veraltet: %1</translation>
    </message>
</context>
<context>
    <name>qc::ui::MainWindow</name>
    <message>
        <source>Quota Console</source>
        <translation>Quota Console</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>&amp;Manage profiles…</source>
        <translation>Profile &amp;verwalten…</translation>
    </message>
    <message>
        <source>&amp;New profile…</source>
        <translation>&amp;Neues Profil…</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>&amp;Protokollordner öffnen</translation>
    </message>
    <message>
        <source>&amp;About Quota Console</source>
        <translation>Über Quota &amp;Console</translation>
    </message>
    <message>
        <source>%1  [%2]</source>
        <translation>%1  [%2]</translation>
    </message>
    <message>
        <source>No profiles yet — File → New profile…</source>
        <translation>Noch keine Profile — Datei → Neues Profil…</translation>
    </message>
    <message>
        <source>There is no connection profile %1.</source>
        <translation>Es gibt kein Verbindungsprofil %1.</translation>
    </message>
    <message>
        <source>Reading the secrets of %1 from the keychain…</source>
        <translation>Die Geheimnisse von %1 werden aus dem Schlüsselbund gelesen…</translation>
    </message>
    <message>
        <source>Keychain: %1. Connecting without saved secrets (libpq may still find ~/.pgpass).</source>
        <translation>Schlüsselbund: %1. Verbinde ohne gespeicherte Geheimnisse (libpq findet eventuell noch ~/.pgpass).</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>%1 — Quota Console</source>
        <translation>%1 — Quota Console</translation>
    </message>
    <message>
        <source>%1 [%2] — Quota Console</source>
        <translation>%1 [%2] — Quota Console</translation>
    </message>
    <message>
        <source>Migrate the quota database</source>
        <translation>Die Quota-Datenbank migrieren</translation>
    </message>
    <message numerus="yes">
        <source>Apply %n pending schema migration(s) to %1 as %2? Each runs in its own transaction and is recorded in quota.schema_migrations.</source>
        <translation>
            <numerusform>%n ausstehende Schemamigration auf %1 als %2 anwenden? Jede läuft in einer eigenen Transaktion und wird in quota.schema_migrations festgehalten.</numerusform>
            <numerusform>%n ausstehende Schemamigrationen auf %1 als %2 anwenden? Jede läuft in einer eigenen Transaktion und wird in quota.schema_migrations festgehalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Migrating…</source>
        <translation>Migriere…</translation>
    </message>
    <message numerus="yes">
        <source>%n migration(s) applied.</source>
        <translation>
            <numerusform>%n Migration angewendet.</numerusform>
            <numerusform>%n Migrationen angewendet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Migration failed</source>
        <translation>Migration fehlgeschlagen</translation>
    </message>
    <message>
        <source>Investigation of %1 is not available in this version.</source>
        <translation>Die Untersuchung von %1 ist in dieser Version nicht verfügbar.</translation>
    </message>
    <message>
        <source>that time span</source>
        <translation>dieses Zeitraums</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>Protokollordner</translation>
    </message>
    <message>
        <source>The log files are in %1</source>
        <translation>Die Protokolldateien liegen in %1</translation>
    </message>
    <message>
        <source>About Quota Console</source>
        <translation type="vanished">Über Quota Console</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Quota Console %1&lt;/h3&gt;&lt;p&gt;Watch, investigate and steer the rate limits, plan quotas and abuse detection of an API kept in a PostgreSQL quota database.&lt;/p&gt;&lt;p&gt;Log files: %2&lt;/p&gt;</source>
        <translation type="vanished">&lt;h3&gt;Quota Console %1&lt;/h3&gt;&lt;p&gt;Beobachten, untersuchen und steuern Sie die Ratenbegrenzungen, Tarifkontingente und die Missbrauchserkennung einer API, die in einer PostgreSQL-Quota-Datenbank verwaltet werden.&lt;/p&gt;&lt;p&gt;Protokolldateien: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
</context>
<context>
    <name>qc::ui::Page</name>
    <message>
        <source>waiting for the database (%1)</source>
        <translation>warte auf die Datenbank (%1)</translation>
    </message>
</context>
<context>
    <name>qc::ui::PolicyTextEdit</name>
    <message>
        <source>Candidate policy JSON</source>
        <translation>JSON der Kandidaten-Richtlinie</translation>
    </message>
</context>
<context>
    <name>qc::ui::PolicyVersionsWidget</name>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Use as baseline</source>
        <translation>Als Basislinie verwenden</translation>
    </message>
    <message>
        <source>Copy into candidate</source>
        <translation>In den Kandidaten kopieren</translation>
    </message>
    <message>
        <source>Roll out the candidate…</source>
        <translation>Den Kandidaten ausrollen…</translation>
    </message>
    <message>
        <source>Roll back to this version…</source>
        <translation>Auf diese Version zurücksetzen…</translation>
    </message>
    <message>
        <source>Compare the candidate with the selected version</source>
        <translation>Den Kandidaten mit der gewählten Version vergleichen</translation>
    </message>
    <message>
        <source>Replace the candidate with the selected version, to edit it</source>
        <translation>Den Kandidaten durch die gewählte Version ersetzen, um sie zu bearbeiten</translation>
    </message>
    <message>
        <source>Make the candidate the active policy version; live enforcement uses it from the next request</source>
        <translation>Den Kandidaten zur aktiven Richtlinienversion machen; die Live-Durchsetzung nutzt sie ab der nächsten Anfrage</translation>
    </message>
    <message>
        <source>Make the selected earlier version the active one again</source>
        <translation>Die gewählte frühere Version wieder zur aktiven machen</translation>
    </message>
    <message>
        <source>This version is active</source>
        <translation>Diese Version ist aktiv</translation>
    </message>
    <message>
        <source>Policy versions</source>
        <translation>Richtlinienversionen</translation>
    </message>
</context>
<context>
    <name>qc::ui::ProfileDialog</name>
    <message>
        <source>basic</source>
        <translation>Basic</translation>
    </message>
    <message>
        <source>bearer token</source>
        <translation>Bearer-Token</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Metrics endpoint</source>
        <translation>Metrik-Endpunkt</translation>
    </message>
    <message>
        <source>e.g. gateway-1</source>
        <translation>z. B. gateway-1</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>New connection profile</source>
        <translation>Neues Verbindungsprofil</translation>
    </message>
    <message>
        <source>Connection profile %1</source>
        <translation>Verbindungsprofil %1</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Metrics endpoints</source>
        <translation>Metrik-Endpunkte</translation>
    </message>
    <message>
        <source>Prometheus &amp;&amp; Alertmanager</source>
        <translation>Prometheus &amp;&amp; Alertmanager</translation>
    </message>
    <message>
        <source>Migration failed: %1</source>
        <translation>Migration fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n migration(s) applied; testing again…</source>
        <translation>
            <numerusform>%n Migration angewendet; teste erneut…</numerusform>
            <numerusform>%n Migrationen angewendet; teste erneut…</numerusform>
        </translation>
    </message>
    <message>
        <source>e.g. Production EU</source>
        <translation>z. B. Production EU</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>Umgebung:</translation>
    </message>
    <message>
        <source>Shown in the window&apos;s header in its colour, so that production is never mistaken for staging.</source>
        <translation>Wird im Kopfbereich des Fensters in ihrer Farbe angezeigt, damit Produktion nie mit Staging verwechselt wird.</translation>
    </message>
    <message>
        <source>Environment colour</source>
        <translation>Farbe der Umgebung</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Scrape interval:</source>
        <translation>Abrufintervall:</translation>
    </message>
    <message>
        <source>Quota database (primary)</source>
        <translation>Quota-Datenbank (primär)</translation>
    </message>
    <message>
        <source>empty: libpq&apos;s ~/.pgpass or PGPASSWORD</source>
        <translation>leer: ~/.pgpass von libpq oder PGPASSWORD</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Migrate…</source>
        <translation>Migrieren…</translation>
    </message>
    <message>
        <source>Connection string:</source>
        <translation>Verbindungszeichenfolge:</translation>
    </message>
    <message>
        <source>Any libpq form: a URI, host=… dbname=… user=…, or service=name from ~/.pg_service.conf.
TLS: sslmode=verify-full sslrootcert=/path/ca.pem.</source>
        <translation>Jede libpq-Form: eine URI, host=… dbname=… user=… oder service=name aus ~/.pg_service.conf.
TLS: sslmode=verify-full sslrootcert=/pfad/ca.pem.</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>Read-only replica (optional)</source>
        <translation>Schreibgeschütztes Replikat (optional)</translation>
    </message>
    <message>
        <source>dashboards and investigation read here; actions use the primary</source>
        <translation>Dashboards und Untersuchungen lesen hier; Aktionen nutzen den Primärserver</translation>
    </message>
    <message>
        <source>The quota services&apos; /metrics pages (Prometheus text or OpenMetrics). The dashboard scrapes them for live rates and p95, summed across instances, and shows each one&apos;s health.</source>
        <translation>Die /metrics-Seiten der Quota-Dienste (Prometheus-Text oder OpenMetrics). Das Dashboard ruft sie für Live-Raten und p95 ab, summiert über die Instanzen, und zeigt den Zustand jeder einzelnen.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Prometheus (optional: metrics history)</source>
        <translation>Prometheus (optional: Metrik-Verlauf)</translation>
    </message>
    <message>
        <source>Alertmanager (optional: alerts and silences)</source>
        <translation>Alertmanager (optional: Alarme und Stummschaltungen)</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Teste…</translation>
    </message>
    <message>
        <source>Connected as %1 (%2) to %3, PostgreSQL %4; schema up to date%5.</source>
        <translation>Verbunden als %1 (%2) mit %3, PostgreSQL %4; Schema aktuell%5.</translation>
    </message>
    <message>
        <source>; a read-only standby</source>
        <translation>; ein schreibgeschützter Standby</translation>
    </message>
    <message>
        <source>Migrate the quota database</source>
        <translation>Die Quota-Datenbank migrieren</translation>
    </message>
    <message>
        <source>Apply the pending schema migrations to this database now? Each migration runs in its own transaction and is recorded in quota.schema_migrations.</source>
        <translation>Die ausstehenden Schemamigrationen jetzt auf diese Datenbank anwenden? Jede Migration läuft in einer eigenen Transaktion und wird in quota.schema_migrations festgehalten.</translation>
    </message>
    <message>
        <source>Migrating…</source>
        <translation>Migriere…</translation>
    </message>
</context>
<context>
    <name>qc::ui::ProfilesDialog</name>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Connection profiles</source>
        <translation>Verbindungsprofile</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Neu…</translation>
    </message>
    <message>
        <source>Reading the saved secrets from the keychain…</source>
        <translation>Die gespeicherten Geheimnisse werden aus dem Schlüsselbund gelesen…</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <source>Saving the secrets in the keychain…</source>
        <translation>Die Geheimnisse werden im Schlüsselbund gespeichert…</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>Profil löschen</translation>
    </message>
    <message>
        <source>Delete the profile %1 and its secrets in the keychain?</source>
        <translation>Das Profil %1 und seine Geheimnisse im Schlüsselbund löschen?</translation>
    </message>
</context>
<context>
    <name>qc::ui::ReasonDialog</name>
    <message>
        <source>Reason (required; recorded in the audit log)</source>
        <translation>Grund (erforderlich; wird im Audit-Protokoll festgehalten)</translation>
    </message>
    <message>
        <source>Note (optional; recorded in the audit log)</source>
        <translation>Notiz (optional; wird im Audit-Protokoll festgehalten)</translation>
    </message>
    <message>
        <source>A reason is required: it goes to the audit log.</source>
        <translation>Ein Grund ist erforderlich: Er kommt ins Audit-Protokoll.</translation>
    </message>
</context>
<context>
    <name>qc::ui::RequestLogView</name>
    <message>
        <source>Reading…</source>
        <translation>Lese…</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) loaded; reading more…</source>
        <translation>
            <numerusform>%n Zeile geladen; lese weiter…</numerusform>
            <numerusform>%n Zeilen geladen; lese weiter…</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not read the requests: %1</source>
        <translation>Die Anfragen konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No requests match.</source>
        <translation>Keine Anfragen passen.</translation>
    </message>
    <message numerus="yes">
        <source>%n newest row(s) shown (last page %1 ms); scroll for older ones.</source>
        <translation>
            <numerusform>%n neueste Zeile angezeigt (letzte Seite %1 ms); scrollen Sie für ältere.</numerusform>
            <numerusform>%n neueste Zeilen angezeigt (letzte Seite %1 ms); scrollen Sie für ältere.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %n matching row(s) shown.</source>
        <translation>
            <numerusform>Die %n passende Zeile wird angezeigt.</numerusform>
            <numerusform>Alle %n passenden Zeilen werden angezeigt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Investigate IP %1</source>
        <translation>IP %1 untersuchen</translation>
    </message>
    <message>
        <source>Investigate user %1</source>
        <translation>Benutzer %1 untersuchen</translation>
    </message>
    <message>
        <source>Investigate endpoint %1</source>
        <translation>Endpunkt %1 untersuchen</translation>
    </message>
    <message>
        <source>Copy “%1”</source>
        <translation>„%1“ kopieren</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
</context>
<context>
    <name>qc::ui::RequestsPage</name>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Export abbrechen</translation>
    </message>
    <message>
        <source>IP, network (CIDR) or user id</source>
        <translation>IP, Netz (CIDR) oder Benutzer-ID</translation>
    </message>
    <message>
        <source>Endpoint (exact, or with * and ?)</source>
        <translation>Endpunkt (exakt oder mit * und ?)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Any decision</source>
        <translation>Jede Entscheidung</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>Zugelassen</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Any reason</source>
        <translation>Jeder Grund</translation>
    </message>
    <message>
        <source>Rule id</source>
        <translation>Regel-ID</translation>
    </message>
    <message>
        <source>Request id</source>
        <translation>Anfrage-ID</translation>
    </message>
    <message>
        <source>Write the rows of this filter, oldest first, to a CSV file that quotactl simulate reads as a trace</source>
        <translation>Die Zeilen dieses Filters, älteste zuerst, in eine CSV-Datei schreiben, die quotactl simulate als Trace liest</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Requests&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Anfragen&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>The request log, filtered on the server; export to CSV</source>
        <translation>Das Anfrageprotokoll, auf dem Server gefiltert; Export als CSV</translation>
    </message>
    <message>
        <source>Export requests to CSV</source>
        <translation>Anfragen als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Connecting for the export to %1…</source>
        <translation>Verbinde für den Export nach %1…</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Exportiere nach %1…</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>cannot connect for the export: %1</source>
        <translation>Verbindung für den Export nicht möglich: %1</translation>
    </message>
    <message numerus="yes">
        <source>Exporting to %1… %n row(s) written</source>
        <translation>
            <numerusform>Exportiere nach %1… %n Zeile geschrieben</numerusform>
            <numerusform>Exportiere nach %1… %n Zeilen geschrieben</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelling the export…</source>
        <translation>Export wird abgebrochen…</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Export abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n row(s) to %1.</source>
        <translation>
            <numerusform>%n Zeile nach %1 exportiert.</numerusform>
            <numerusform>%n Zeilen nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
</context>
<context>
    <name>qc::ui::RolloutDialog</name>
    <message>
        <source>Active now</source>
        <translation>Jetzt aktiv</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Danach</translation>
    </message>
    <message>
        <source>It decides every request as the active version does.</source>
        <translation>Sie entscheidet jede Anfrage so wie die aktive Version.</translation>
    </message>
    <message>
        <source>What changes from the active version:</source>
        <translation>Was sich gegenüber der aktiven Version ändert:</translation>
    </message>
    <message>
        <source>Why (recorded in the audit log; required):</source>
        <translation>Warum (wird im Audit-Protokoll festgehalten; erforderlich):</translation>
    </message>
    <message>
        <source>e.g. Halve the per-minute limit: bot bursts cost $40 a day (simulated on last week&apos;s traffic, no paid customer affected)</source>
        <translation>z. B. Minutenlimit halbieren: Bot-Bursts kosten 40 $ am Tag (simuliert mit dem Verkehr der letzten Woche, kein zahlender Kunde betroffen)</translation>
    </message>
</context>
<context>
    <name>qc::ui::Screenshotter</name>
    <message>
        <source>The page %1 had no data after %2 s; no screenshot written.</source>
        <translation>Die Seite %1 hatte nach %2 s keine Daten; kein Bildschirmfoto geschrieben.</translation>
    </message>
    <message>
        <source>There is no page &apos;%1&apos;; use one of %2.</source>
        <translation>Es gibt keine Seite „%1“; verwenden Sie eine von %2.</translation>
    </message>
    <message>
        <source>About Quota Console</source>
        <translation>Über Quota Console</translation>
    </message>
    <message>
        <source>Cannot write the screenshot %1.</source>
        <translation>Das Bildschirmfoto %1 kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Screenshot of %1 written to %2 (%3×%4).</source>
        <translation>Bildschirmfoto von %1 nach %2 geschrieben (%3×%4).</translation>
    </message>
</context>
<context>
    <name>qc::ui::SettingsDialog</name>
    <message>
        <source>Show a tray &amp;notification when an alert fires</source>
        <translation>Eine &amp;Benachrichtigung im Infobereich zeigen, wenn ein Alarm ausgelöst wird</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>Systemvorgabe (%1)</translation>
    </message>
    <message>
        <source>A new language applies when the console is started again.</source>
        <translation>Eine neue Sprache gilt nach dem nächsten Start der Konsole.</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Local time (%1)</source>
        <translation>Ortszeit (%1)</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Each profile&apos;s own interval</source>
        <translation>Intervall des jeweiligen Profils</translation>
    </message>
    <message>
        <source>Applies from the next connection.</source>
        <translation>Gilt ab der nächsten Verbindung.</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info und höher</translation>
    </message>
    <message>
        <source>Warning and above</source>
        <translation>Warnung und höher</translation>
    </message>
    <message>
        <source>Critical only</source>
        <translation>Nur kritisch</translation>
    </message>
    <message>
        <source>Trace (everything)</source>
        <translation>Trace (alles)</translation>
    </message>
    <message>
        <source>Debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Critical errors</source>
        <translation>Kritische Fehler</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the data directory</source>
        <translation>Das Datenverzeichnis wählen</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Farbschema:</translation>
    </message>
    <message>
        <source>Show &amp;times in:</source>
        <translation>&amp;Zeiten anzeigen in:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisierung</translation>
    </message>
    <message>
        <source>&amp;Dashboard refresh:</source>
        <translation>&amp;Dashboard-Aktualisierung:</translation>
    </message>
    <message>
        <source>&amp;Metrics scrape:</source>
        <translation>&amp;Metrik-Abruf:</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>Minimum &amp;severity:</source>
        <translation>Mindest-&amp;Schweregrad:</translation>
    </message>
    <message>
        <source>Logs and data</source>
        <translation>Protokolle und Daten</translation>
    </message>
    <message>
        <source>Log l&amp;evel:</source>
        <translation>Protokoll&amp;stufe:</translation>
    </message>
    <message>
        <source>Data di&amp;rectory:</source>
        <translation>Daten&amp;verzeichnis:</translation>
    </message>
    <message>
        <source>Logs and the demo are kept here. Empty: the default directory shown.</source>
        <translation>Protokolle und die Demo werden hier abgelegt. Leer: das angezeigte Standardverzeichnis.</translation>
    </message>
    <message>
        <source>The settings apply now but could not be saved: %1.</source>
        <translation>Die Einstellungen gelten jetzt, konnten aber nicht gespeichert werden: %1.</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Datenverzeichnis</translation>
    </message>
</context>
<context>
    <name>qc::ui::ShortcutsDialog</name>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Tastenkürzel</translation>
    </message>
</context>
<context>
    <name>qc::ui::SimulatePage</name>
    <message>
        <source>Setup</source>
        <translation>Einrichtung</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Parameterlauf</translation>
    </message>
    <message>
        <source>Versions &amp;&amp; rollout</source>
        <translation>Versionen &amp;&amp; Ausrollen</translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation>Simulieren</translation>
    </message>
    <message>
        <source>Replay recorded traffic through a candidate policy, compare, sweep, roll out</source>
        <translation>Aufgezeichneten Verkehr durch eine Kandidaten-Richtlinie abspielen, vergleichen, Parameter durchlaufen, ausrollen</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Run sweep</source>
        <translation>Parameterlauf ausführen</translation>
    </message>
    <message>
        <source>Run the sweep set on the Sweep tab</source>
        <translation>Den im Reiter „Parameterlauf“ eingestellten Lauf ausführen</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <source>Open a saved workspace</source>
        <translation>Einen gespeicherten Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Save source, baseline, candidate and results as a workspace</source>
        <translation>Quelle, Basislinie, Kandidat und Ergebnisse als Arbeitsbereich speichern</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Report as HTML…</source>
        <translation>Bericht als HTML…</translation>
    </message>
    <message>
        <source>Report as PDF…</source>
        <translation>Bericht als PDF…</translation>
    </message>
    <message>
        <source>Affected identifiers as CSV…</source>
        <translation>Betroffene Kennungen als CSV…</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Verkehr</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basislinie</translation>
    </message>
    <message>
        <source>Candidate against baseline</source>
        <translation>Kandidat gegenüber Basislinie</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>Fail if … e.g. paid_denied_pct &gt; 0.5 or newly_denied.total &gt; 100</source>
        <translation>Fehlschlagen, wenn … z. B. paid_denied_pct &gt; 0.5 oder newly_denied.total &gt; 100</translation>
    </message>
    <message>
        <source>A condition on the report&apos;s numbers (as quotactl simulate --fail-if takes it); each run says whether the candidate keeps it</source>
        <translation>Eine Bedingung über die Zahlen des Berichts (wie quotactl simulate --fail-if sie nimmt); jeder Lauf sagt, ob der Kandidat sie einhält</translation>
    </message>
    <message>
        <source>Candidate policy</source>
        <translation>Kandidaten-Richtlinie</translation>
    </message>
    <message>
        <source>Reading the baseline…</source>
        <translation>Lese die Basislinie…</translation>
    </message>
    <message>
        <source>No baseline to compare with.</source>
        <translation>Keine Basislinie zum Vergleich.</translation>
    </message>
    <message>
        <source>The candidate is not a valid policy yet.</source>
        <translation>Der Kandidat ist noch keine gültige Richtlinie.</translation>
    </message>
    <message>
        <source>The candidate decides every request as %1 does.</source>
        <translation>Der Kandidat entscheidet jede Anfrage so wie %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) from %1:</source>
        <translation>
            <numerusform>%n Änderung gegenüber %1:</numerusform>
            <numerusform>%n Änderungen gegenüber %1:</numerusform>
        </translation>
    </message>
    <message>
        <source>A run is in progress.</source>
        <translation>Ein Lauf ist im Gang.</translation>
    </message>
    <message>
        <source>The candidate is not a valid policy: %1</source>
        <translation>Der Kandidat ist keine gültige Richtlinie: %1</translation>
    </message>
    <message>
        <source>The baseline is still being read.</source>
        <translation>Die Basislinie wird noch gelesen.</translation>
    </message>
    <message>
        <source>The baseline cannot be used: %1</source>
        <translation>Die Basislinie kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>Choose a baseline.</source>
        <translation>Wählen Sie eine Basislinie.</translation>
    </message>
    <message>
        <source>The budget is not a condition: %1</source>
        <translation>Das Budget ist keine Bedingung: %1</translation>
    </message>
    <message>
        <source>Decide the traffic under the baseline and the candidate and compare (Ctrl+R)</source>
        <translation>Den Verkehr unter Basislinie und Kandidat entscheiden und vergleichen (Strg+R)</translation>
    </message>
    <message>
        <source>Connect to a quota database to roll out.</source>
        <translation>Verbinden Sie sich mit einer Quota-Datenbank, um auszurollen.</translation>
    </message>
    <message>
        <source>No budget: runs only report.</source>
        <translation>Kein Budget: Läufe berichten nur.</translation>
    </message>
    <message>
        <source>A run breaks the budget when %1 (reads %2).</source>
        <translation>Ein Lauf bricht das Budget, wenn %1 (liest %2).</translation>
    </message>
    <message>
        <source>column %1: %2</source>
        <translation>Spalte %1: %2</translation>
    </message>
    <message>
        <source>Set the parameter and range to sweep.</source>
        <translation>Legen Sie Parameter und Bereich für den Parameterlauf fest.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starte…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Breche ab…</translation>
    </message>
    <message>
        <source>, %1 requests/s</source>
        <translation>, %1 Anfragen/s</translation>
    </message>
    <message>
        <source>Reading the traffic: %1 requests%2</source>
        <translation>Lese den Verkehr: %1 Anfragen%2</translation>
    </message>
    <message>
        <source>Reading the traffic…</source>
        <translation>Lese den Verkehr…</translation>
    </message>
    <message>
        <source>Deciding %1 of %2 requests under both policies%3</source>
        <translation>Entscheide %1 von %2 Anfragen unter beiden Richtlinien%3</translation>
    </message>
    <message>
        <source>Sweeping: %1 of %2 decisions%3</source>
        <translation>Parameterlauf: %1 von %2 Entscheidungen%3</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was changed.</source>
        <translation>Abgebrochen. Nichts wurde geändert.</translation>
    </message>
    <message numerus="yes">
        <source>Sweep of %1: %n run(s) in %2.</source>
        <translation>
            <numerusform>Parameterlauf über %1: %n Lauf in %2.</numerusform>
            <numerusform>Parameterlauf über %1: %n Läufe in %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Done: %1 newly denied, %2 newly admitted, %3 paid newly denied.</source>
        <translation>Fertig: %1 neu abgelehnt, %2 neu zugelassen, %3 zahlende neu abgelehnt.</translation>
    </message>
    <message>
        <source>The candidate has no %1 any more.</source>
        <translation>Der Kandidat hat kein %1 mehr.</translation>
    </message>
    <message>
        <source>The candidate&apos;s %1 is now %2.</source>
        <translation>%1 des Kandidaten ist jetzt %2.</translation>
    </message>
    <message>
        <source>The candidate is now a copy of version %1.</source>
        <translation>Der Kandidat ist jetzt eine Kopie von Version %1.</translation>
    </message>
    <message>
        <source>Make the candidate the active policy of &lt;b&gt;%1&lt;/b&gt; (%2). Live enforcement (quota_check) uses it from the next request.</source>
        <translation>Den Kandidaten zur aktiven Richtlinie von &lt;b&gt;%1&lt;/b&gt; (%2) machen. Die Live-Durchsetzung (quota_check) nutzt ihn ab der nächsten Anfrage.</translation>
    </message>
    <message>
        <source>Active now: version %1.</source>
        <translation>Jetzt aktiv: Version %1.</translation>
    </message>
    <message>
        <source>No version is active now.</source>
        <translation>Derzeit ist keine Version aktiv.</translation>
    </message>
    <message>
        <source>The candidate has not been simulated.</source>
        <translation>Der Kandidat wurde nicht simuliert.</translation>
    </message>
    <message>
        <source>The candidate (or the baseline or traffic) changed after the last simulation.</source>
        <translation>Der Kandidat (oder Basislinie oder Verkehr) hat sich nach der letzten Simulation geändert.</translation>
    </message>
    <message>
        <source>The last simulation broke the budget: %1 (%2).</source>
        <translation>Die letzte Simulation hat das Budget gebrochen: %1 (%2).</translation>
    </message>
    <message>
        <source>The last simulation newly denied %1 requests of paying customers.</source>
        <translation>Die letzte Simulation hat %1 Anfragen zahlender Kunden neu abgelehnt.</translation>
    </message>
    <message>
        <source>Roll out the candidate</source>
        <translation>Den Kandidaten ausrollen</translation>
    </message>
    <message>
        <source>Roll out</source>
        <translation>Ausrollen</translation>
    </message>
    <message>
        <source>Version %1 cannot be activated: %2</source>
        <translation>Version %1 kann nicht aktiviert werden: %2</translation>
    </message>
    <message>
        <source>Make version %1 the active policy of &lt;b&gt;%2&lt;/b&gt; (%3) again. Live enforcement uses it from the next request.</source>
        <translation>Version %1 wieder zur aktiven Richtlinie von &lt;b&gt;%2&lt;/b&gt; (%3) machen. Die Live-Durchsetzung nutzt sie ab der nächsten Anfrage.</translation>
    </message>
    <message>
        <source>Roll back to version %1</source>
        <translation>Auf Version %1 zurücksetzen</translation>
    </message>
    <message>
        <source>Activate version %1</source>
        <translation>Version %1 aktivieren</translation>
    </message>
    <message>
        <source>Rolling out…</source>
        <translation>Rolle aus…</translation>
    </message>
    <message>
        <source>Activating version %1…</source>
        <translation>Aktiviere Version %1…</translation>
    </message>
    <message>
        <source>%1 Try again: the database applies it only once.</source>
        <translation>%1 Versuchen Sie es erneut: Die Datenbank wendet es nur einmal an.</translation>
    </message>
    <message>
        <source>Version %1 is now the active policy (audit entry %2). Live enforcement uses it from the next request.</source>
        <translation>Version %1 ist jetzt die aktive Richtlinie (Audit-Eintrag %2). Die Live-Durchsetzung nutzt sie ab der nächsten Anfrage.</translation>
    </message>
    <message>
        <source>Version %1 is active again (audit entry %2). Live enforcement uses it from the next request.</source>
        <translation>Version %1 ist wieder aktiv (Audit-Eintrag %2). Die Live-Durchsetzung nutzt sie ab der nächsten Anfrage.</translation>
    </message>
    <message>
        <source>Saved the workspace %1.</source>
        <translation>Arbeitsbereich %1 gespeichert.</translation>
    </message>
    <message>
        <source>Wait for the run to end (or cancel it) before opening a workspace.</source>
        <translation>Warten Sie das Ende des Laufs ab (oder brechen Sie ihn ab), bevor Sie einen Arbeitsbereich öffnen.</translation>
    </message>
    <message>
        <source>%1 cannot be opened: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>It replays request_logs: connect to a quota database to run it.</source>
        <translation>Er spielt request_logs ab: Verbinden Sie sich mit einer Quota-Datenbank, um ihn auszuführen.</translation>
    </message>
    <message>
        <source>It was made on %1; it runs on %2, the connected database.</source>
        <translation>Er wurde auf %1 erstellt; er läuft auf %2, der verbundenen Datenbank.</translation>
    </message>
    <message>
        <source>Its results cannot be shown: %1</source>
        <translation>Seine Ergebnisse können nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>Its sweep cannot be shown: %1</source>
        <translation>Sein Parameterlauf kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>Opened the workspace %1.</source>
        <translation>Arbeitsbereich %1 geöffnet.</translation>
    </message>
    <message>
        <source>Save workspace</source>
        <translation>Arbeitsbereich speichern</translation>
    </message>
    <message>
        <source>Workspaces (*.json);;All files (*)</source>
        <translation>Arbeitsbereiche (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open workspace</source>
        <translation>Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <source>Policy simulation</source>
        <translation>Richtliniensimulation</translation>
    </message>
    <message>
        <source>Policy simulation: %1 against %2</source>
        <translation>Richtliniensimulation: %1 gegen %2</translation>
    </message>
    <message>
        <source>There are no results to export yet: run the simulation first.</source>
        <translation>Es gibt noch keine Ergebnisse zum Exportieren: Führen Sie zuerst die Simulation aus.</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>Schreibe %1…</translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation>%1 geschrieben.</translation>
    </message>
    <message>
        <source>HTML (*.html)</source>
        <translation>HTML (*.html)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Changes against the baseline</source>
        <translation>Änderungen gegenüber der Ausgangsrichtlinie</translation>
    </message>
</context>
<context>
    <name>qc::ui::SimulationCharts</name>
    <message>
        <source>Denials per %1</source>
        <translation>Ablehnungen pro %1</translation>
    </message>
    <message>
        <source>minute</source>
        <translation>Minute</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>Stunde</translation>
    </message>
    <message>
        <source>requests (right axis)</source>
        <translation>Anfragen (rechte Achse)</translation>
    </message>
    <message>
        <source>baseline denied</source>
        <translation>Basislinie abgelehnt</translation>
    </message>
    <message>
        <source>candidate denied</source>
        <translation>Kandidat abgelehnt</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>dollars</source>
        <translation>Dollar</translation>
    </message>
    <message>
        <source>Sweep of %1</source>
        <translation>Parameterlauf über %1</translation>
    </message>
    <message>
        <source>legitimate denied %</source>
        <translation>legitim abgelehnt %</translation>
    </message>
    <message>
        <source>abusive admitted %</source>
        <translation>missbräuchlich zugelassen %</translation>
    </message>
    <message>
        <source>cost admitted $ (right axis)</source>
        <translation>zugelassene Kosten $ (rechte Achse)</translation>
    </message>
    <message>
        <source>baseline (dashed)</source>
        <translation>Basislinie (gestrichelt)</translation>
    </message>
    <message>
        <source>share of requests</source>
        <translation>Anteil der Anfragen</translation>
    </message>
    <message>
        <source>cost admitted</source>
        <translation>zugelassene Kosten</translation>
    </message>
</context>
<context>
    <name>qc::ui::SimulationResultsWidget</name>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Plan tier</source>
        <translation>Tarifstufe</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Newly denied</source>
        <translation>Neu abgelehnt</translation>
    </message>
    <message>
        <source>Newly admitted</source>
        <translation>Neu zugelassen</translation>
    </message>
    <message>
        <source>Filter identifiers…</source>
        <translation>Kennungen filtern…</translation>
    </message>
    <message>
        <source>Investigate</source>
        <translation>Untersuchen</translation>
    </message>
    <message>
        <source>Open the selected identifier on the Investigate page, over the simulated time range</source>
        <translation>Die gewählte Kennung auf der Seite „Untersuchen“ öffnen, über den simulierten Zeitraum</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>Kennungen</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Double-click a request to investigate its client</source>
        <translation>Doppelklicken Sie auf eine Anfrage, um ihren Client zu untersuchen</translation>
    </message>
    <message>
        <source>Fidelity</source>
        <translation>Treue</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Hinweise</translation>
    </message>
    <message>
        <source>By reason</source>
        <translation>Nach Grund</translation>
    </message>
    <message>
        <source>By rule</source>
        <translation>Nach Regel</translation>
    </message>
    <message>
        <source>By plan tier</source>
        <translation>Nach Tarifstufe</translation>
    </message>
    <message>
        <source>By endpoint</source>
        <translation>Nach Endpunkt</translation>
    </message>
    <message>
        <source>No results yet. Set up the traffic, baseline and candidate, then Run.</source>
        <translation>Noch keine Ergebnisse. Richten Sie Verkehr, Basislinie und Kandidat ein, dann „Ausführen“.</translation>
    </message>
    <message>
        <source>The candidate, the baseline or the traffic changed after this run: run again to see their effect.</source>
        <translation>Kandidat, Basislinie oder Verkehr haben sich nach diesem Lauf geändert: Führen Sie ihn erneut aus, um die Wirkung zu sehen.</translation>
    </message>
    <message>
        <source>(no rule)</source>
        <translation>(keine Regel)</translation>
    </message>
    <message>
        <source>Newly denied (%1)</source>
        <translation>Neu abgelehnt (%1)</translation>
    </message>
    <message>
        <source>Newly admitted (%1)</source>
        <translation>Neu zugelassen (%1)</translation>
    </message>
    <message>
        <source>Alerts (%1)</source>
        <translation>Alarme (%1)</translation>
    </message>
    <message>
        <source>%1 requests from %2 to %3</source>
        <translation>%1 Anfragen von %2 bis %3</translation>
    </message>
    <message>
        <source> (after a warm-up of %1 requests)</source>
        <translation> (nach einer Aufwärmphase von %1 Anfragen)</translation>
    </message>
    <message>
        <source>Baseline: %1.</source>
        <translation>Basislinie: %1.</translation>
    </message>
    <message>
        <source>The candidate decides as the baseline does.</source>
        <translation>Der Kandidat entscheidet wie die Basislinie.</translation>
    </message>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n weitere</numerusform>
            <numerusform>%n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>The candidate changes %1.</source>
        <translation>Der Kandidat ändert %1.</translation>
    </message>
    <message>
        <source>Traffic: %1.</source>
        <translation>Verkehr: %1.</translation>
    </message>
    <message>
        <source>Results saved with the workspace, run %1.</source>
        <translation>Mit dem Arbeitsbereich gespeicherte Ergebnisse, Lauf %1.</translation>
    </message>
    <message>
        <source>Decided in %1 (%2 requests/s per policy).</source>
        <translation>Entschieden in %1 (%2 Anfragen/s pro Richtlinie).</translation>
    </message>
    <message>
        <source>Budget broken: %1</source>
        <translation>Budget gebrochen: %1</translation>
    </message>
    <message>
        <source>Budget kept: not %1</source>
        <translation type="vanished">Budget eingehalten: nicht %1</translation>
    </message>
    <message>
        <source>Paying customers affected: %1 of their requests (%2 of paid traffic) would be newly denied.</source>
        <translation>Zahlende Kunden betroffen: %1 ihrer Anfragen (%2 des bezahlten Verkehrs) würden neu abgelehnt.</translation>
    </message>
    <message>
        <source>No request of a paying customer would be newly denied (%1 paid requests).</source>
        <translation>Keine Anfrage eines zahlenden Kunden würde neu abgelehnt (%1 bezahlte Anfragen).</translation>
    </message>
    <message>
        <source>Newly denied: &lt;b&gt;%1&lt;/b&gt;; newly admitted: &lt;b&gt;%2&lt;/b&gt;.</source>
        <translation>Neu abgelehnt: &lt;b&gt;%1&lt;/b&gt;; neu zugelassen: &lt;b&gt;%2&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>Cost admitted %1 → %2: &lt;b&gt;%3 %4&lt;/b&gt;.</source>
        <translation>Zugelassene Kosten %1 → %2: &lt;b&gt;%3 %4&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>more spent</source>
        <translation>mehr ausgegeben</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>gespart</translation>
    </message>
    <message>
        <source>Alerts that would fire only under the candidate: %1.</source>
        <translation>Alarme, die nur unter dem Kandidaten ausgelöst würden: %1.</translation>
    </message>
    <message>
        <source>Fidelity: the baseline agrees with %1 of the decisions made live.</source>
        <translation>Treue: Die Basislinie stimmt mit %1 der live getroffenen Entscheidungen überein.</translation>
    </message>
    <message>
        <source>The baseline agrees with &lt;b&gt;%1&lt;/b&gt; of the %2 decisions recorded live (%3 disagree).</source>
        <translation>Die Basislinie stimmt mit &lt;b&gt;%1&lt;/b&gt; der %2 live aufgezeichneten Entscheidungen überein (%3 weichen ab).</translation>
    </message>
    <message>
        <source>The first %1 are listed.</source>
        <translation>Die ersten %1 sind aufgeführt.</translation>
    </message>
    <message>
        <source>The simulation reproduces live enforcement exactly.</source>
        <translation>Die Simulation bildet die Live-Durchsetzung exakt nach.</translation>
    </message>
    <message>
        <source>This traffic carries no recorded decisions: replay the database&apos;s request_logs to measure fidelity.</source>
        <translation>Dieser Verkehr enthält keine aufgezeichneten Entscheidungen: Spielen Sie die request_logs der Datenbank ab, um die Treue zu messen.</translation>
    </message>
    <message>
        <source>%1 bad rows of the trace were skipped.</source>
        <translation>%1 fehlerhafte Zeilen des Traces wurden übersprungen.</translation>
    </message>
    <message>
        <source>Read %1 requests, %2 blocks, %3 unblocks and %4 plan changes in %5 (waiting for the server %6, decoding %7).</source>
        <translation>%1 Anfragen, %2 Sperren, %3 Entsperrungen und %4 Tarifwechsel in %5 gelesen (Warten auf den Server %6, Dekodieren %7).</translation>
    </message>
    <message>
        <source>The traffic read for the previous run was used again.</source>
        <translation>Der für den vorherigen Lauf gelesene Verkehr wurde erneut verwendet.</translation>
    </message>
    <message>
        <source>Read %1 requests in %2.</source>
        <translation>%1 Anfragen in %2 gelesen.</translation>
    </message>
    <message>
        <source>Nothing to note.</source>
        <translation>Nichts anzumerken.</translation>
    </message>
    <message>
        <source>Notes (%1)</source>
        <translation>Hinweise (%1)</translation>
    </message>
    <message>
        <source>Within budget: %1 is false</source>
        <translation>Im Rahmen des Budgets: %1 trifft nicht zu</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Summen</translation>
    </message>
    <message>
        <source>Affected identifiers</source>
        <translation>Betroffene Kennungen</translation>
    </message>
    <message>
        <source>Filter identifiers</source>
        <translation>Kennungen filtern</translation>
    </message>
    <message>
        <source>Alerts that would fire</source>
        <translation>Alarme, die ausgelöst würden</translation>
    </message>
    <message>
        <source>Disagreeing requests</source>
        <translation>Abweichende Anfragen</translation>
    </message>
</context>
<context>
    <name>qc::ui::SimulationSourceWidget</name>
    <message>
        <source>Database request_logs</source>
        <translation>request_logs der Datenbank</translation>
    </message>
    <message>
        <source>Trace file</source>
        <translation>Trace-Datei</translation>
    </message>
    <message>
        <source>Generated scenario</source>
        <translation>Erzeugtes Szenario</translation>
    </message>
    <message>
        <source>Replay what the API received, with the blocks and plans in force at each request, and compare the baseline with what was decided live (fidelity)</source>
        <translation>Abspielen, was die API empfangen hat, mit den zu jeder Anfrage geltenden Sperren und Tarifen, und die Basislinie mit den Live-Entscheidungen vergleichen (Treue)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Letzter Tag</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>trace.csv or trace.jsonl (the columns of request_logs)</source>
        <translation>trace.csv oder trace.jsonl (die Spalten von request_logs)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Trace to replay</source>
        <translation>Abzuspielender Trace</translation>
    </message>
    <message>
        <source>Traces (*.csv *.jsonl *.ndjson);;All files (*)</source>
        <translation>Traces (*.csv *.jsonl *.ndjson);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source> req/s</source>
        <translation> Anfr./s</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Länge</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>IPs</source>
        <translation>IPs</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <source>Decided first to fill counters and blocks, not reported (e.g. 1h); from the database it is read before From</source>
        <translation>Zuerst entschieden, um Zähler und Sperren zu füllen, nicht berichtet (z. B. 1h); aus der Datenbank wird vor „Von“ gelesen</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>Aufwärmphase</translation>
    </message>
    <message>
        <source>Requests logged on %1, replayed with the blocks and plans of their time.</source>
        <translation>Auf %1 protokollierte Anfragen, abgespielt mit den Sperren und Tarifen ihrer Zeit.</translation>
    </message>
    <message>
        <source>Connect to a quota database to replay its request_logs.</source>
        <translation>Verbinden Sie sich mit einer Quota-Datenbank, um ihre request_logs abzuspielen.</translation>
    </message>
    <message>
        <source>Warm-up &apos;%1&apos; is not a duration; use e.g. 30m, 1h.</source>
        <translation>Aufwärmphase „%1“ ist keine Dauer; verwenden Sie z. B. 30m, 1h.</translation>
    </message>
    <message>
        <source>The range is empty: To must be after From.</source>
        <translation>Der Zeitraum ist leer: „Bis“ muss nach „Von“ liegen.</translation>
    </message>
    <message>
        <source>Choose a trace file (CSV or JSONL).</source>
        <translation>Wählen Sie eine Trace-Datei (CSV oder JSONL).</translation>
    </message>
    <message>
        <source>There is no file %1.</source>
        <translation>Es gibt keine Datei %1.</translation>
    </message>
    <message>
        <source>Length &apos;%1&apos; is not a duration; use e.g. 1h, 1d.</source>
        <translation>Länge „%1“ ist keine Dauer; verwenden Sie z. B. 1h, 1d.</translation>
    </message>
    <message>
        <source>Pick at least one scenario.</source>
        <translation>Wählen Sie mindestens ein Szenario.</translation>
    </message>
</context>
<context>
    <name>qc::ui::StartPage</name>
    <message>
        <source>Connect…</source>
        <translation>Verbinden…</translation>
    </message>
    <message>
        <source>New connection profile…</source>
        <translation>Neues Verbindungsprofil…</translation>
    </message>
    <message>
        <source>&lt;h1&gt;Quota Console&lt;/h1&gt;</source>
        <translation>&lt;h1&gt;Quota Console&lt;/h1&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Watch, investigate and steer the rate limits, plan quotas, idempotency keys and abuse detection of your API.&lt;/p&gt;&lt;p&gt;Connect to a quota database with a connection profile (File → Connect). A profile names the database, optionally a read-only replica, the services&apos; metrics endpoints and Prometheus; its passwords stay in the system keychain.&lt;/p&gt;&lt;p&gt;Without a database, &lt;tt&gt;quotactl simulate&lt;/tt&gt; replays recorded traffic through a candidate policy with the same enforcement core the database uses.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Beobachten, untersuchen und steuern Sie die Ratenbegrenzungen, Tarifkontingente, Idempotenzschlüssel und die Missbrauchserkennung Ihrer API.&lt;/p&gt;&lt;p&gt;Verbinden Sie sich mit einem Verbindungsprofil mit einer Quota-Datenbank (Datei → Verbinden). Ein Profil nennt die Datenbank, optional ein schreibgeschütztes Replikat, die Metrik-Endpunkte der Dienste und Prometheus; seine Passwörter bleiben im Schlüsselbund des Systems.&lt;/p&gt;&lt;p&gt;Ohne Datenbank spielt &lt;tt&gt;quotactl simulate&lt;/tt&gt; aufgezeichneten Verkehr mit demselben Durchsetzungskern, den die Datenbank nutzt, durch eine Kandidaten-Richtlinie ab.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>qc::ui::SweepWidget</name>
    <message>
        <source>Run sweep</source>
        <translation>Parameterlauf ausführen</translation>
    </message>
    <message>
        <source>Use this value in the candidate</source>
        <translation>Diesen Wert im Kandidaten verwenden</translation>
    </message>
    <message>
        <source>Set the swept parameter of the candidate to the selected value</source>
        <translation>Den durchlaufenen Parameter des Kandidaten auf den gewählten Wert setzen</translation>
    </message>
    <message>
        <source>Vary</source>
        <translation>Variieren</translation>
    </message>
    <message>
        <source>from</source>
        <translation>von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Legitimate: clients and users that raised no abuse incident under the baseline; abusive: those that did (docs/simulation.md).</source>
        <translation>Legitim: Clients und Benutzer, die unter der Basislinie keinen Missbrauchsvorfall ausgelöst haben; missbräuchlich: die es taten (docs/simulation.md).</translation>
    </message>
    <message>
        <source>The candidate is not a valid policy; fix it first.</source>
        <translation>Der Kandidat ist keine gültige Richtlinie; korrigieren Sie ihn zuerst.</translation>
    </message>
    <message>
        <source>The candidate has no number to sweep.</source>
        <translation>Der Kandidat hat keine Zahl für einen Parameterlauf.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) on %1 core(s)</source>
        <translation>
            <numerusform>%n Lauf auf %1 Kern(en)</numerusform>
            <numerusform>%n Läufe auf %1 Kern(en)</numerusform>
        </translation>
    </message>
    <message>
        <source>invalid range</source>
        <translation>ungültiger Bereich</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schrittweite</translation>
    </message>
    <message>
        <source>Sweep points</source>
        <translation>Messpunkte der Reihe</translation>
    </message>
</context>
<context>
    <name>qc::ui::TimeRangeSelector</name>
    <message>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 6 hours</source>
        <translation>Letzte 6 Stunden</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>From … to …</source>
        <translation>Von … bis …</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
</context>
<context>
    <name>qc::ui::TimeSeriesChart</name>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>alert threshold</source>
        <translation>Alarmschwelle</translation>
    </message>
    <message>
        <source>alert %1 (%2) fired at %3</source>
        <translation>Alarm %1 (%2) ausgelöst um %3</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>Noch keine Daten</translation>
    </message>
    <message>
        <source>Nothing in this range</source>
        <translation>Nichts in diesem Zeitraum</translation>
    </message>
    <message>
        <source>Time series chart</source>
        <translation>Zeitreihendiagramm</translation>
    </message>
</context>
<context>
    <name>qc::ui::TopListView</name>
    <message>
        <source>Investigate</source>
        <translation>Untersuchen</translation>
    </message>
    <message>
        <source>Filter by %1…</source>
        <translation>Nach %1 filtern…</translation>
    </message>
    <message>
        <source>Look into the selected row&apos;s requests, blocks and collisions</source>
        <translation>Anfragen, Sperren und Kollisionen der gewählten Zeile ansehen</translation>
    </message>
</context>
<context>
    <name>qc::workbench::AffectedIdentifierModel</name>
    <message>
        <source>user</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Requests without a valid client address</source>
        <translation>Anfragen ohne gültige Client-Adresse</translation>
    </message>
    <message>
        <source>Double-click to investigate %1</source>
        <translation>Doppelklick, um %1 zu untersuchen</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>Newly denied</source>
        <translation>Neu abgelehnt</translation>
    </message>
    <message>
        <source>Newly admitted</source>
        <translation>Neu zugelassen</translation>
    </message>
</context>
<context>
    <name>qc::workbench::AlertFiringModel</name>
    <message>
        <source>baseline</source>
        <translation>Basislinie</translation>
    </message>
    <message>
        <source>candidate (new)</source>
        <translation>Kandidat (neu)</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>Kandidat</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Bedingung</translation>
    </message>
    <message>
        <source>First firing</source>
        <translation>Erstmals ausgelöst</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Spitze</translation>
    </message>
</context>
<context>
    <name>qc::workbench::DisagreementModel</name>
    <message>
        <source>allowed</source>
        <translation>zugelassen</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Recorded live</source>
        <translation>Live aufgezeichnet</translation>
    </message>
    <message>
        <source>Baseline decided</source>
        <translation>Entscheidung der Basislinie</translation>
    </message>
</context>
<context>
    <name>qc::workbench::NamedCountModel</name>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyAbuseModel</name>
    <message>
        <source>Pattern</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>Unique id</source>
        <translation>Eindeutige ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>(the id)</source>
        <translation>(die ID)</translation>
    </message>
    <message>
        <source>Shown in incidents and alerts</source>
        <translation>Wird in Vorfällen und Alarmen angezeigt</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>rate: requests per window; cost: dollars per window; user_agent and country: matching requests</source>
        <translation>rate: Anfragen pro Fenster; cost: Dollar pro Fenster; user_agent und country: passende Anfragen</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Watched per client IP or per user</source>
        <translation>Pro Client-IP oder pro Benutzer beobachtet</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>Trailing window, at most 31d</source>
        <translation>Zurückliegendes Fenster, höchstens 31d</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <source>More requests than this in the window raise an incident</source>
        <translation>Mehr Anfragen als diese im Fenster lösen einen Vorfall aus</translation>
    </message>
    <message>
        <source>Threshold $</source>
        <translation>Schwelle $</translation>
    </message>
    <message>
        <source>More cost than this (dollars) in the window raises an incident</source>
        <translation>Mehr Kosten als diese (Dollar) im Fenster lösen einen Vorfall aus</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>Endpunkte</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Endpoint globs counted</source>
        <translation>Gezählte Endpunkt-Muster</translation>
    </message>
    <message>
        <source>User agents</source>
        <translation>User-Agents</translation>
    </message>
    <message>
        <source>Substrings of the user agent (case-insensitive)</source>
        <translation>Teilzeichenfolgen des User-Agents (Groß-/Kleinschreibung egal)</translation>
    </message>
    <message>
        <source>Countries</source>
        <translation>Länder</translation>
    </message>
    <message>
        <source>ISO country codes</source>
        <translation>ISO-Ländercodes</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>block and escalate block the identifier for block_for</source>
        <translation>block und escalate sperren die Kennung für block_for</translation>
    </message>
    <message>
        <source>Block for</source>
        <translation>Sperren für</translation>
    </message>
    <message>
        <source>How long a block lasts</source>
        <translation>Wie lange eine Sperre dauert</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyChangeModel</name>
    <message>
        <source>(added)</source>
        <translation>(hinzugefügt)</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>(entfernt)</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basislinie</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>Kandidat</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyDocument</name>
    <message>
        <source>%1 (line %2, column %3): %4</source>
        <translation>%1 (Zeile %2, Spalte %3): %4</translation>
    </message>
    <message numerus="yes">
        <source>%1 (and %n more problem(s))</source>
        <translation>
            <numerusform>%1 (und %n weiteres Problem)</numerusform>
            <numerusform>%1 (und %n weitere Probleme)</numerusform>
        </translation>
    </message>
    <message>
        <source>the policy must be a JSON object</source>
        <translation>die Richtlinie muss ein JSON-Objekt sein</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyPlansModel</name>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Unique plan name</source>
        <translation>Eindeutiger Tarifname</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <source>(position)</source>
        <translation>(Position)</translation>
    </message>
    <message>
        <source>Higher is a bigger plan: moving down is a downgrade (grace applies)</source>
        <translation>Höher ist ein größerer Tarif: nach unten ist ein Downgrade (Schonfrist gilt)</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Bezahlt</translation>
    </message>
    <message>
        <source>Paying customers: the report calls out what a candidate does to them (default: rank &gt; 0)</source>
        <translation>Zahlende Kunden: Der Bericht hebt hervor, was ein Kandidat mit ihnen macht (Standard: Rang &gt; 0)</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>Quota of %1 per billing cycle; -1 or empty = unlimited</source>
        <translation>Kontingent von %1 pro Abrechnungszyklus; -1 oder leer = unbegrenzt</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyRollout</name>
    <message>
        <source>The database refused: %1. Rolling out a policy needs the quota_admin role.</source>
        <translation>Die Datenbank hat abgelehnt: %1. Zum Ausrollen einer Richtlinie ist die Rolle quota_admin nötig.</translation>
    </message>
    <message>
        <source>The database gave no reason.</source>
        <translation>Die Datenbank hat keinen Grund genannt.</translation>
    </message>
    <message>
        <source>Not activated: %1. Another admin changed the active policy since you looked; review the versions list and try again.</source>
        <translation>Nicht aktiviert: %1. Ein anderer Admin hat die aktive Richtlinie geändert, seit Sie nachgesehen haben; prüfen Sie die Versionsliste und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The candidate is not a JSON object: %1</source>
        <translation>Der Kandidat ist kein JSON-Objekt: %1</translation>
    </message>
    <message>
        <source>The new version was not created: %1</source>
        <translation>Die neue Version wurde nicht erstellt: %1</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyRulesModel</name>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Unique id: letters, digits, _ . -</source>
        <translation>Eindeutige ID: Buchstaben, Ziffern, _ . -</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>What one counter counts: per client IP, per user, per user and endpoint, per IP and endpoint, or all traffic</source>
        <translation>Was ein Zähler zählt: pro Client-IP, pro Benutzer, pro Benutzer und Endpunkt, pro IP und Endpunkt oder den gesamten Verkehr</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>Algorithmus</translation>
    </message>
    <message>
        <source>fixed_window and sliding_window count requests per window; token_bucket admits rate per period with bursts</source>
        <translation>fixed_window und sliding_window zählen Anfragen pro Fenster; token_bucket lässt „rate“ pro Periode mit Bursts zu</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>Window length, e.g. 1m, 2h, 1d</source>
        <translation>Fensterlänge, z. B. 1m, 2h, 1d</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Limit</translation>
    </message>
    <message>
        <source>Requests admitted per window</source>
        <translation>Pro Fenster zugelassene Anfragen</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Tokens added per period</source>
        <translation>Pro Periode hinzugefügte Token</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>Period of the rate, e.g. 1s, 1m</source>
        <translation>Periode der Rate, z. B. 1s, 1m</translation>
    </message>
    <message>
        <source>Burst</source>
        <translation>Burst</translation>
    </message>
    <message>
        <source>Requests admitted at once after a quiet time</source>
        <translation>Nach einer ruhigen Zeit auf einmal zugelassene Anfragen</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>Endpunkte</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Endpoint globs the rule applies to, e.g. /api/*</source>
        <translation>Endpunkt-Muster, für die die Regel gilt, z. B. /api/*</translation>
    </message>
    <message>
        <source>Methods</source>
        <translation>Methoden</translation>
    </message>
    <message>
        <source>HTTP methods the rule applies to, e.g. POST</source>
        <translation>HTTP-Methoden, für die die Regel gilt, z. B. POST</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>Tarife</translation>
    </message>
    <message>
        <source>Plans the rule applies to (anonymous requests have none)</source>
        <translation>Tarife, für die die Regel gilt (anonyme Anfragen haben keinen)</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>shadow rules are evaluated and counted as would_deny, never deny</source>
        <translation>Schattenregeln werden ausgewertet und als would_deny gezählt, lehnen aber nie ab</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyTableModel</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>(object)</source>
        <translation>(Objekt)</translation>
    </message>
    <message>
        <source>Does not apply to this item.</source>
        <translation>Gilt nicht für diesen Eintrag.</translation>
    </message>
    <message>
        <source>Not set: %1 applies.</source>
        <translation>Nicht gesetzt: %1 gilt.</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyVersionModel</name>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>was active</source>
        <translation>war aktiv</translation>
    </message>
    <message>
        <source>never activated</source>
        <translation>nie aktiviert</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>Erstellt von</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Activated by</source>
        <translation>Aktiviert von</translation>
    </message>
    <message>
        <source>Last activated</source>
        <translation>Zuletzt aktiviert</translation>
    </message>
</context>
<context>
    <name>qc::workbench::ReportFiles</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Writing %1 failed: %2</source>
        <translation>Schreiben von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>There are no results to export yet: run the simulation first.</source>
        <translation>Es gibt noch keine Ergebnisse zum Exportieren: Führen Sie zuerst die Simulation aus.</translation>
    </message>
    <message>
        <source>Chart %1 of the report could not be drawn.</source>
        <translation>Diagramm %1 des Berichts konnte nicht gezeichnet werden.</translation>
    </message>
</context>
<context>
    <name>qc::workbench::SimulationRunner</name>
    <message>
        <source>%1 has no requests to replay.</source>
        <translation>%1 hat keine Anfragen zum Abspielen.</translation>
    </message>
    <message>
        <source>Connect to a quota database to replay its request_logs.</source>
        <translation>Verbinden Sie sich mit einer Quota-Datenbank, um ihre request_logs abzuspielen.</translation>
    </message>
    <message>
        <source>not enough memory</source>
        <translation>nicht genug Arbeitsspeicher</translation>
    </message>
    <message>
        <source>an unexpected error</source>
        <translation>ein unerwarteter Fehler</translation>
    </message>
    <message>
        <source>Reading %1 failed</source>
        <translation>Das Lesen von %1 ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>The simulation failed</source>
        <translation>Die Simulation ist fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>qc::workbench::SweepChoices</name>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <source>rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>burst</source>
        <translation>Burst</translation>
    </message>
    <message>
        <source>limit</source>
        <translation>Limit</translation>
    </message>
    <message>
        <source>window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>plan %1</source>
        <translation>Tarif %1</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <source>threshold $</source>
        <translation>Schwelle $</translation>
    </message>
</context>
<context>
    <name>qc::workbench::SweepPointModel</name>
    <message>
        <source>baseline</source>
        <translation>Basislinie</translation>
    </message>
    <message>
        <source>%1 (candidate)</source>
        <translation>%1 (Kandidat)</translation>
    </message>
    <message>
        <source>Requests of clients and users that raised no abuse incident under the baseline, denied by this value (share of all legitimate requests)</source>
        <translation>Anfragen von Clients und Benutzern ohne Missbrauchsvorfall unter der Basislinie, die dieser Wert ablehnt (Anteil an allen legitimen Anfragen)</translation>
    </message>
    <message>
        <source>Requests of clients and users that raised an abuse incident under the baseline, admitted by this value</source>
        <translation>Anfragen von Clients und Benutzern mit Missbrauchsvorfall unter der Basislinie, die dieser Wert zulässt</translation>
    </message>
    <message>
        <source>Baseline&apos;s cost admitted minus this value&apos;s</source>
        <translation>Zugelassene Kosten der Basislinie minus die dieses Werts</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Legitimate denied</source>
        <translation>Legitim abgelehnt</translation>
    </message>
    <message>
        <source>Abusive admitted</source>
        <translation>Missbräuchlich zugelassen</translation>
    </message>
    <message>
        <source>Cost admitted</source>
        <translation>Zugelassene Kosten</translation>
    </message>
    <message>
        <source>Cost saved</source>
        <translation>Gesparte Kosten</translation>
    </message>
    <message>
        <source>Newly denied</source>
        <translation>Neu abgelehnt</translation>
    </message>
    <message>
        <source>Paid newly denied</source>
        <translation>Zahlende neu abgelehnt</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Vorfälle</translation>
    </message>
</context>
<context>
    <name>qc::workbench::TotalsModel</name>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>Zugelassen</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>would deny (shadow %1)</source>
        <translation>würde ablehnen (Schatten %1)</translation>
    </message>
    <message>
        <source>Cost admitted</source>
        <translation>Zugelassene Kosten</translation>
    </message>
    <message>
        <source>Idempotency collisions</source>
        <translation>Idempotenz-Kollisionen</translation>
    </message>
    <message>
        <source>Abuse incidents</source>
        <translation>Missbrauchsvorfälle</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basislinie</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>Kandidat</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
</context>
</TS>
