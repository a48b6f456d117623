<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fa_IR" sourcelanguage="en">
<context>
    <name>QGuiApplication</name>
    <message>
        <source>QT_LAYOUT_DIRECTION</source>
        <translation>RTL</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Desktop console for the quota database of an API.</source>
        <translation>کنسول رومیزی برای پایگاه دادهٔ سهمیهٔ یک API.</translation>
    </message>
    <message>
        <source>Open the embedded demo.</source>
        <translation type="vanished">باز کردن نسخهٔ نمایشی داخلی.</translation>
    </message>
    <message>
        <source>Connect to the saved connection profile &lt;name&gt;.</source>
        <translation>اتصال به نمایهٔ اتصال ذخیره‌شدهٔ &lt;name&gt;.</translation>
    </message>
    <message>
        <source>name</source>
        <translation>نام</translation>
    </message>
    <message>
        <source>Speak &lt;code&gt; (en, de, fa) this time, whatever the settings say.</source>
        <translation>این بار به زبان &lt;code&gt; (en، de، fa) صحبت کن، صرف‌نظر از تنظیمات.</translation>
    </message>
    <message>
        <source>code</source>
        <translation>کد</translation>
    </message>
    <message>
        <source>Once connected, show &lt;page&gt; (dashboard, settings, shortcuts, about, ...), save a screenshot to --screenshot-out when it has data, and quit.</source>
        <translation>پس از اتصال، &lt;page&gt; را نشان بده (dashboard، settings، shortcuts، about، ...)، وقتی داده دارد تصویری از صفحه در --screenshot-out ذخیره کن و خارج شو.</translation>
    </message>
    <message>
        <source>page</source>
        <translation>صفحه</translation>
    </message>
    <message>
        <source>The PNG file --screenshot-page writes.</source>
        <translation>فایل PNG که ‎--screenshot-page می‌نویسد.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>فایل</translation>
    </message>
    <message>
        <source>The embedded demo is not yet available in this version. Meanwhile, try:
  quotactl trace generate --out /tmp/trace.csv --scenario normal --scenario bot_burst
  quotactl simulate --policy candidate.json --trace /tmp/trace.csv
</source>
        <translation type="vanished">نسخهٔ نمایشی داخلی در این نسخه هنوز در دسترس نیست. تا آن زمان این را امتحان کنید:
  quotactl trace generate --out /tmp/trace.csv --scenario normal --scenario bot_burst
  quotactl simulate --policy candidate.json --trace /tmp/trace.csv
</translation>
    </message>
    <message>
        <source>There is no connection profile &apos;%1&apos;.
</source>
        <translation>نمایهٔ اتصالی با نام «%1» وجود ندارد.
</translation>
    </message>
    <message>
        <source>Start the embedded demo (or use the running one) and connect to it.</source>
        <translation>نسخهٔ نمایشی داخلی را راه‌اندازی کن (یا از نسخهٔ در حال اجرا استفاده کن) و به آن متصل شو.</translation>
    </message>
</context>
<context>
    <name>qc::console::DemoLauncher</name>
    <message>
        <source>Cannot run %1: %2</source>
        <translation>اجرای %1 ممکن نیست: %2</translation>
    </message>
    <message>
        <source>quotactl, which runs the demo, was not found next to quota-console (%1) nor on PATH; install it with the quota-console package or build it (cmake --build build --target quotactl).</source>
        <translation>quotactl، که نسخهٔ نمایشی را اجرا می‌کند، نه کنار quota-console (%1) پیدا شد و نه در PATH؛ آن را با بستهٔ quota-console نصب کنید یا بسازید (cmake --build build --target quotactl).</translation>
    </message>
    <message>
        <source>Another process is starting the demo…</source>
        <translation>فرایند دیگری در حال راه‌اندازی نسخهٔ نمایشی است…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>در حال اتصال…</translation>
    </message>
    <message>
        <source>Another process is starting the demo: %1</source>
        <translation>فرایند دیگری در حال راه‌اندازی نسخهٔ نمایشی است: %1</translation>
    </message>
    <message>
        <source>The demo that another process was starting did not come up (it is %1 now); &apos;quotactl demo status&apos; and its logs in %2 say more.</source>
        <translation>نسخهٔ نمایشی که فرایند دیگری راه‌اندازی می‌کرد بالا نیامد (اکنون %1 است)؛ «quotactl demo status» و گزارش‌هایش در %2 اطلاعات بیشتری می‌دهند.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>ناشناخته</translation>
    </message>
    <message>
        <source>quotactl demo ended before the demo was ready (%1):
%2</source>
        <translation>quotactl demo پیش از آماده شدن نسخهٔ نمایشی پایان یافت (%1):
%2</translation>
    </message>
    <message>
        <source>crashed</source>
        <translation>از کار افتاد</translation>
    </message>
    <message>
        <source>exit status %1</source>
        <translation>وضعیت خروج %1</translation>
    </message>
    <message>
        <source>The demo stopped unexpectedly:
%1</source>
        <translation>نسخهٔ نمایشی به‌طور غیرمنتظره متوقف شد:
%1</translation>
    </message>
    <message>
        <source>Checking PostgreSQL…</source>
        <translation>در حال بررسی PostgreSQL…</translation>
    </message>
    <message>
        <source>Creating the PostgreSQL cluster…</source>
        <translation>در حال ساخت خوشهٔ PostgreSQL…</translation>
    </message>
    <message>
        <source>Starting PostgreSQL…</source>
        <translation>در حال راه‌اندازی PostgreSQL…</translation>
    </message>
    <message>
        <source>Migrating…</source>
        <translation>در حال مهاجرت…</translation>
    </message>
    <message>
        <source>Seeding plans and users…</source>
        <translation>در حال ایجاد طرح‌ها و کاربران…</translation>
    </message>
    <message>
        <source>Backfilling 1 day of history…</source>
        <translation>در حال پرکردن ۱ روز سابقه…</translation>
    </message>
    <message>
        <source>Backfilling %1 days of history: %2 done…</source>
        <translation>در حال پرکردن %1 روز سابقه: %2 روز انجام شد…</translation>
    </message>
    <message>
        <source>Backfilling %1 of history…</source>
        <translation>در حال پرکردن %1 سابقه…</translation>
    </message>
    <message>
        <source>Starting live traffic…</source>
        <translation>در حال آغاز ترافیک زنده…</translation>
    </message>
    <message>
        <source>Starting the alert evaluator…</source>
        <translation>در حال راه‌اندازی ارزیاب هشدار…</translation>
    </message>
</context>
<context>
    <name>qc::console::DemoMode</name>
    <message>
        <source>Starting the demo</source>
        <translation>راه‌اندازی نسخهٔ نمایشی</translation>
    </message>
    <message>
        <source>Starting the demo: %1</source>
        <translation>راه‌اندازی نسخهٔ نمایشی: %1</translation>
    </message>
    <message>
        <source>The demo could not start.</source>
        <translation>نسخهٔ نمایشی راه‌اندازی نشد.</translation>
    </message>
    <message>
        <source>The demo could not start</source>
        <translation>نسخهٔ نمایشی راه‌اندازی نشد</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>نمایشی</translation>
    </message>
    <message>
        <source>Stopping the demo</source>
        <translation>توقف نسخهٔ نمایشی</translation>
    </message>
    <message>
        <source>Stopping live traffic, the alert evaluator and PostgreSQL…</source>
        <translation>در حال توقف ترافیک زنده، ارزیاب هشدار و PostgreSQL…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>لغو</translation>
    </message>
</context>
<context>
    <name>qc::models::AlertModel</name>
    <message>
        <source>State</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <source>Silenced in Alertmanager by a silence this console did not make</source>
        <translation>در Alertmanager با یک بی‌صداسازی که این کنسول نساخته، بی‌صدا شده است</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>شدت</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>هشدار</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>خلاصه</translation>
    </message>
    <message>
        <source>Since (UTC)</source>
        <translation>از (UTC)</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>منبع</translation>
    </message>
    <message>
        <source>Where the alert comes from: the quota database, Alertmanager, or both</source>
        <translation>منشأ هشدار: پایگاه دادهٔ سهمیه، Alertmanager یا هر دو</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>تأییدشده</translation>
    </message>
    <message>
        <source>Acknowledged by %1 at %2</source>
        <translation>تأییدشده توسط %1 در %2</translation>
    </message>
    <message>
        <source>Silenced until</source>
        <translation>بی‌صدا تا</translation>
    </message>
    <message>
        <source>End of the Alertmanager silence of the acknowledgement</source>
        <translation>پایان بی‌صداسازی Alertmanager مربوط به تأیید</translation>
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
        <translation>زمان (UTC)</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>چه کسی</translation>
    </message>
    <message>
        <source>The database role that acted (session_user)</source>
        <translation>نقش پایگاه داده‌ای که اقدام کرد (session_user)</translation>
    </message>
    <message>
        <source>What</source>
        <translation>چه چیزی</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>هدف</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>چرا</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>تغییرات</translation>
    </message>
    <message>
        <source>created</source>
        <translation>ایجاد شد</translation>
    </message>
    <message>
        <source>Client action id</source>
        <translation>شناسهٔ اقدام کلاینت</translation>
    </message>
</context>
<context>
    <name>qc::models::BlockModel</name>
    <message>
        <source>Target</source>
        <translation>هدف</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>مقدار</translation>
    </message>
    <message>
        <source>State</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <source>lifted</source>
        <translation>برداشته‌شده</translation>
    </message>
    <message>
        <source>active</source>
        <translation>فعال</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>زمان‌بندی‌شده</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>پایان‌یافته</translation>
    </message>
    <message>
        <source>From (UTC)</source>
        <translation>از (UTC)</translation>
    </message>
    <message>
        <source>Until (UTC)</source>
        <translation>تا (UTC)</translation>
    </message>
    <message>
        <source>permanent</source>
        <translation>دائمی</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>دلیل</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>منبع</translation>
    </message>
    <message>
        <source>auto: made by an abuse pattern; manual: by an operator</source>
        <translation>خودکار: ساختهٔ یک الگوی سوءاستفاده؛ دستی: ساختهٔ یک اپراتور</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>رخداد</translation>
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
        <translation>رخداد سوءاستفاده‌ای که یک مسدودسازی خودکار ایجاد کرد</translation>
    </message>
    <message>
        <source>By</source>
        <translation>توسط</translation>
    </message>
    <message>
        <source>Lifted</source>
        <translation>برداشته‌شده</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1 توسط %2</translation>
    </message>
</context>
<context>
    <name>qc::models::BuggyClientModel</name>
    <message>
        <source>User</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <source>Collisions (24 h)</source>
        <translation>برخوردها (۲۴ ساعت)</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>پارامترها</translation>
    </message>
    <message>
        <source>Same key, different request parameters</source>
        <translation>کلید یکسان، پارامترهای درخواست متفاوت</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>دیرهنگام</translation>
    </message>
    <message>
        <source>Same key more than 5 minutes after the first request</source>
        <translation>کلید یکسان بیش از ۵ دقیقه پس از نخستین درخواست</translation>
    </message>
    <message>
        <source>User agent</source>
        <translation>عامل کاربر</translation>
    </message>
    <message>
        <source>Same key from a different user agent</source>
        <translation>کلید یکسان از یک عامل کاربر دیگر</translation>
    </message>
    <message>
        <source>First</source>
        <translation>نخستین</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>آخرین</translation>
    </message>
    <message>
        <source>Last key</source>
        <translation>آخرین کلید</translation>
    </message>
</context>
<context>
    <name>qc::models::CollisionModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>زمان (UTC)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>نوع</translation>
    </message>
    <message>
        <source>parameters, late (over 5 min after the first) or user agent</source>
        <translation>پارامترها، دیرهنگام (بیش از ۵ دقیقه پس از نخستین) یا عامل کاربر</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>دسته‌بندی</translation>
    </message>
    <message>
        <source>Every way the request differs from the first one with its key</source>
        <translation>همهٔ تفاوت‌های درخواست با نخستین درخواستِ همان کلید</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>کلید</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>User</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>کلاینت</translation>
    </message>
    <message>
        <source>After first</source>
        <translation>پس از نخستین</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>درخواست</translation>
    </message>
    <message>
        <source>First request: %1
User agent then: %2
User agent now: %3</source>
        <translation>نخستین درخواست: %1
عامل کاربر در آن زمان: %2
عامل کاربر اکنون: %3</translation>
    </message>
</context>
<context>
    <name>qc::models::EndpointHealthModel</name>
    <message>
        <source>waiting</source>
        <translation>در انتظار</translation>
    </message>
    <message>
        <source>up</source>
        <translation>فعال</translation>
    </message>
    <message>
        <source>down</source>
        <translation>از کار افتاده</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 میلی‌ثانیه</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>نشانی (URL)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <source>Last scrape</source>
        <translation>آخرین واکشی</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>مدت</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>اندازه</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>خطا</translation>
    </message>
</context>
<context>
    <name>qc::models::IncidentModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>زمان (UTC)</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>شدت</translation>
    </message>
    <message>
        <source>Pattern</source>
        <translation>الگو</translation>
    </message>
    <message>
        <source>Pattern kind: %1</source>
        <translation>نوع الگو: %1</translation>
    </message>
    <message>
        <source>The abuse pattern that raised the incident (docs/enforcement.md §8)</source>
        <translation>الگوی سوءاستفاده‌ای که رخداد را ایجاد کرد (docs/enforcement.md §8)</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>دامنه</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>شناسه</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>اقدام</translation>
    </message>
    <message>
        <source>Blocked until</source>
        <translation>مسدود تا</translation>
    </message>
    <message>
        <source> (block %1)</source>
        <translation> (مسدودسازی %1)</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>مقدار</translation>
    </message>
    <message>
        <source>What the pattern measured: requests in its window, or cost</source>
        <translation>آنچه الگو اندازه گرفت: درخواست‌ها در پنجرهٔ آن یا هزینه</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>درخواست</translation>
    </message>
    <message>
        <source>The request that raised it</source>
        <translation>درخواستی که آن را ایجاد کرد</translation>
    </message>
</context>
<context>
    <name>qc::models::JsonDiffModel</name>
    <message>
        <source>Field</source>
        <translation>فیلد</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>پیش از</translation>
    </message>
    <message>
        <source>After</source>
        <translation>پس از</translation>
    </message>
</context>
<context>
    <name>qc::models::PlanChangeModel</name>
    <message>
        <source>Effective (UTC)</source>
        <translation>مؤثر از (UTC)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>نوع</translation>
    </message>
    <message>
        <source>From</source>
        <translation>از</translation>
    </message>
    <message>
        <source>To</source>
        <translation>به</translation>
    </message>
    <message>
        <source>Grace until</source>
        <translation>مهلت تا</translation>
    </message>
    <message>
        <source>After a downgrade the previous plan&apos;s quota applies until then</source>
        <translation>پس از کاهش طرح، تا آن زمان سهمیهٔ طرح قبلی اعمال می‌شود</translation>
    </message>
    <message>
        <source>By</source>
        <translation>توسط</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>دلیل</translation>
    </message>
</context>
<context>
    <name>qc::models::RateLimitModel</name>
    <message>
        <source>Rule</source>
        <translation>قاعده</translation>
    </message>
    <message>
        <source>%1 (shadow)</source>
        <translation>%1 (سایه)</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>دامنه</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>الگوریتم</translation>
    </message>
    <message>
        <source>token bucket, a token per %1</source>
        <translation>سطل توکن، یک توکن در هر %1</translation>
    </message>
    <message>
        <source>sliding window of %1</source>
        <translation>پنجرهٔ لغزان %1</translation>
    </message>
    <message>
        <source>fixed window of %1</source>
        <translation>پنجرهٔ ثابت %1</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>شناسه</translation>
    </message>
    <message>
        <source>(everyone)</source>
        <translation>(همه)</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>مصرف‌شده</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Count (fixed window), estimate (sliding window) or tokens taken</source>
        <translation>شمارش (پنجرهٔ ثابت)، برآورد (پنجرهٔ لغزان) یا توکن‌های برداشته‌شده</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>باقی‌مانده</translation>
    </message>
    <message>
        <source>Requests this rule would still admit now</source>
        <translation>درخواست‌هایی که این قاعده اکنون هنوز می‌پذیرد</translation>
    </message>
    <message>
        <source>Resets</source>
        <translation>بازنشانی</translation>
    </message>
    <message>
        <source>Next request</source>
        <translation>درخواست بعدی</translation>
    </message>
    <message>
        <source>admitted</source>
        <translation>پذیرفته</translation>
    </message>
    <message>
        <source>would be denied</source>
        <translation>رد می‌شد</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>ردشده</translation>
    </message>
    <message>
        <source>What this rule decides for a request now (as quota_check would)</source>
        <translation>آنچه این قاعده اکنون برای یک درخواست تصمیم می‌گیرد (مانند quota_check)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>یادداشت</translation>
    </message>
</context>
<context>
    <name>qc::models::ReasonCountModel</name>
    <message>
        <source>Reason</source>
        <translation>دلیل</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>ردها</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>سهم</translation>
    </message>
</context>
<context>
    <name>qc::models::RelatedModel</name>
    <message>
        <source>Kind</source>
        <translation>نوع</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>شناسه</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>ردها</translation>
    </message>
</context>
<context>
    <name>qc::models::RequestLogModel</name>
    <message>
        <source>parameters</source>
        <translation>پارامترها</translation>
    </message>
    <message>
        <source>late</source>
        <translation>دیرهنگام</translation>
    </message>
    <message>
        <source>user agent</source>
        <translation>عامل کاربر</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>زمان (UTC)</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>تصمیم</translation>
    </message>
    <message>
        <source>Failed open: the quota check did not answer, the request was let through without limits.</source>
        <translation>باز در خطا: بررسی سهمیه پاسخ نداد و درخواست بدون محدودیت عبور داده شد.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>دلیل</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>قاعده</translation>
    </message>
    <message>
        <source>would deny: %1</source>
        <translation>رد می‌کرد: %1</translation>
    </message>
    <message>
        <source>The rule that denied the request; shadow rules that would have</source>
        <translation>قاعده‌ای که درخواست را رد کرد؛ قاعده‌های سایه‌ای که رد می‌کردند</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>روش</translation>
    </message>
    <message>
        <source>User</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>طرح</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>Forwarded for: %1</source>
        <translation>ارسال‌شده برای: %1</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>کشور</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>هزینه</translation>
    </message>
    <message>
        <source>Check ms</source>
        <translation>بررسی (میلی‌ثانیه)</translation>
    </message>
    <message>
        <source>Time the quota check took</source>
        <translation>مدت زمان بررسی سهمیه</translation>
    </message>
    <message>
        <source>Response ms</source>
        <translation>پاسخ (میلی‌ثانیه)</translation>
    </message>
    <message>
        <source>Collision</source>
        <translation>برخورد</translation>
    </message>
    <message>
        <source>Idempotency-key collision: different parameters, late, user agent</source>
        <translation>برخورد کلید ایدمپوتنسی: پارامترهای متفاوت، دیرهنگام، عامل کاربر</translation>
    </message>
    <message>
        <source>Request id</source>
        <translation>شناسهٔ درخواست</translation>
    </message>
    <message>
        <source>User agent</source>
        <translation>عامل کاربر</translation>
    </message>
    <message>
        <source>Idempotency key</source>
        <translation>کلید ایدمپوتنسی</translation>
    </message>
</context>
<context>
    <name>qc::models::SpanTopModel</name>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>ردها</translation>
    </message>
    <message>
        <source>Denied %</source>
        <translation>ردشده ٪</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>هزینه</translation>
    </message>
</context>
<context>
    <name>qc::models::TimeSeriesModel</name>
    <message>
        <source>Time</source>
        <translation>زمان</translation>
    </message>
</context>
<context>
    <name>qc::models::TopListModel</name>
    <message>
        <source>Double-click to investigate %1</source>
        <translation>برای بررسی %1 دوبار کلیک کنید</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>User</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>شناسه</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>ردها</translation>
    </message>
    <message>
        <source>Denial %</source>
        <translation>رد ٪</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>هزینه</translation>
    </message>
    <message>
        <source>p95 ms</source>
        <translation>p95 (میلی‌ثانیه)</translation>
    </message>
</context>
<context>
    <name>qc::models::UsageModel</name>
    <message>
        <source>Metric</source>
        <translation>سنجه</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>مصرف‌شده</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>سهمیه</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>نامحدود</translation>
    </message>
    <message>
        <source>Used %</source>
        <translation>مصرف‌شده ٪</translation>
    </message>
    <message>
        <source>over</source>
        <translation>فراتر</translation>
    </message>
    <message>
        <source>Quota of plan</source>
        <translation>سهمیهٔ طرح</translation>
    </message>
    <message>
        <source>The plan whose quota applies (the previous one during a downgrade&apos;s grace)</source>
        <translation>طرحی که سهمیه‌اش اعمال می‌شود (در مهلت کاهش طرح، طرح قبلی)</translation>
    </message>
    <message>
        <source>Cycle since</source>
        <translation>چرخه از</translation>
    </message>
</context>
<context>
    <name>qc::models::display</name>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n ثانیه</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n دقیقه</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n ساعت</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n روز</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>%1 پیش</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>%1 دیگر</translation>
    </message>
</context>
<context>
    <name>qc::services::ConnectionProfile</name>
    <message>
        <source>%1: the URL %2 must start with http:// or https://</source>
        <translation>%1: نشانی %2 باید با http://‎ یا https://‎ آغاز شود</translation>
    </message>
    <message>
        <source>%1: the URL %2 has no host</source>
        <translation>%1: نشانی %2 میزبان ندارد</translation>
    </message>
    <message>
        <source>%1: basic authentication needs a user name</source>
        <translation>%1: احراز هویت پایه به نام کاربری نیاز دارد</translation>
    </message>
    <message>
        <source>%1: a client certificate needs both the certificate and the key file</source>
        <translation>%1: گواهی کلاینت به هر دو فایل گواهی و کلید نیاز دارد</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>خواندن %1 ممکن نیست: %2</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 هیچ گواهی PEM ندارد</translation>
    </message>
    <message>
        <source>%1 holds no unencrypted PEM private key (RSA, EC or DSA)</source>
        <translation>%1 هیچ کلید خصوصی PEM رمزنگاری‌نشده‌ای (RSA، EC یا DSA) ندارد</translation>
    </message>
    <message>
        <source>The profile needs a name.</source>
        <translation>نمایه به یک نام نیاز دارد.</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>پایگاه داده: %1</translation>
    </message>
    <message>
        <source>Read-only replica: %1</source>
        <translation>نسخهٔ فقط‌خواندنی: %1</translation>
    </message>
    <message>
        <source>Metrics endpoint %1 has no URL.</source>
        <translation>نقطهٔ پایانی سنجهٔ %1 نشانی ندارد.</translation>
    </message>
    <message>
        <source>Metrics endpoint %1</source>
        <translation>نقطهٔ پایانی سنجهٔ %1</translation>
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
        <translation>فاصلهٔ واکشی باید بین ۱ ثانیه و ۱ ساعت باشد.</translation>
    </message>
</context>
<context>
    <name>qc::services::ConnectionTester</name>
    <message>
        <source>Enter a URL such as https://gateway.example.org:9100/metrics.</source>
        <translation>نشانی‌ای مانند https://gateway.example.org:9100/metrics وارد کنید.</translation>
    </message>
    <message>
        <source>No network access.</source>
        <translation>دسترسی به شبکه وجود ندارد.</translation>
    </message>
    <message>
        <source>The TLS handshake failed: %1. Set the CA file for a private CA, or check that the certificate matches the host name.</source>
        <translation>دست‌دهی TLS ناموفق بود: %1. برای یک CA خصوصی فایل CA را تنظیم کنید، یا بررسی کنید که گواهی با نام میزبان مطابقت دارد.</translation>
    </message>
    <message>
        <source>The host name of %1 could not be resolved (DNS). Check its spelling.</source>
        <translation>نام میزبان %1 پیدا نشد (DNS). املای آن را بررسی کنید.</translation>
    </message>
    <message>
        <source>%1 refused the connection: nothing listens on that port.</source>
        <translation>%1 اتصال را رد کرد: هیچ برنامه‌ای روی آن درگاه گوش نمی‌دهد.</translation>
    </message>
    <message>
        <source>%1 did not answer within 10 s.</source>
        <translation>%1 ظرف ۱۰ ثانیه پاسخ نداد.</translation>
    </message>
    <message>
        <source>The TLS handshake with %1 failed: %2</source>
        <translation>دست‌دهی TLS با %1 ناموفق بود: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 asks for authentication (HTTP 401): check the user, password or token.</source>
        <translation>%1 احراز هویت می‌خواهد (HTTP 401): کاربر، گذرواژه یا توکن را بررسی کنید.</translation>
    </message>
    <message>
        <source>%1 refused access (HTTP 403): the credentials are valid but not allowed there.</source>
        <translation>%1 دسترسی را رد کرد (HTTP 403): اعتبارنامه معتبر است اما در آنجا مجاز نیست.</translation>
    </message>
    <message>
        <source>%1 does not exist (HTTP 404): check the path.</source>
        <translation>%1 وجود ندارد (HTTP 404): مسیر را بررسی کنید.</translation>
    </message>
    <message>
        <source>%1 answered HTTP %2 %3.</source>
        <translation>%1 با HTTP %2 %3 پاسخ داد.</translation>
    </message>
    <message>
        <source>The page is not a valid metrics exposition: line %1</source>
        <translation>صفحه یک خروجی معتبر سنجه نیست: سطر %1</translation>
    </message>
    <message>
        <source>%1 metric families, %2 of them quota metrics</source>
        <translation>%1 خانوادهٔ سنجه، %2 تا از آن‌ها سنجه‌های سهمیه</translation>
    </message>
    <message>
        <source>The page has %1 metric families but none of the quota services&apos; (quota_decisions_total, quota_check_duration_seconds, ...): is this the right endpoint?</source>
        <translation>صفحه %1 خانوادهٔ سنجه دارد اما هیچ‌کدام از سرویس‌های سهمیه نیست (quota_decisions_total، quota_check_duration_seconds، ...): آیا این نقطهٔ پایانی درست است؟</translation>
    </message>
    <message>
        <source>The server answered, but not like the Prometheus HTTP API: is the URL the server&apos;s root (e.g. http://prometheus:9090/)?</source>
        <translation>سرور پاسخ داد، اما نه مانند API HTTP پرومتئوس: آیا نشانی، ریشهٔ سرور است (مثلاً http://prometheus:9090/‎)؟</translation>
    </message>
    <message>
        <source>Prometheus %1</source>
        <translation>Prometheus %1</translation>
    </message>
    <message>
        <source>The server answered, but not like the Alertmanager API v2: is the URL the server&apos;s root (e.g. http://alertmanager:9093/)?</source>
        <translation>سرور پاسخ داد، اما نه مانند API نسخهٔ ۲ Alertmanager: آیا نشانی، ریشهٔ سرور است (مثلاً http://alertmanager:9093/‎)؟</translation>
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
        <translation>%1 یک فایل تنظیمات معتبر نیست؛ از پیش‌فرض‌ها استفاده می‌شود و فایل هنگام ذخیرهٔ تنظیمات جایگزین می‌شود</translation>
    </message>
    <message>
        <source>cannot read the settings file %1</source>
        <translation>خواندن فایل تنظیمات %1 ممکن نیست</translation>
    </message>
    <message>
        <source>cannot write the settings file %1</source>
        <translation>نوشتن فایل تنظیمات %1 ممکن نیست</translation>
    </message>
</context>
<context>
    <name>qc::services::DashboardSeries</name>
    <message>
        <source>p95 quota-check latency</source>
        <translation>تأخیر p95 بررسی سهمیه</translation>
    </message>
    <message>
        <source>p95 (database rollups)</source>
        <translation>p95 (تجمیع‌های پایگاه داده)</translation>
    </message>
    <message>
        <source>p95 (live scrapes)</source>
        <translation>p95 (واکشی‌های زنده)</translation>
    </message>
    <message>
        <source>p95 (Prometheus)</source>
        <translation>p95 (Prometheus)</translation>
    </message>
    <message>
        <source>Denial rate by reason</source>
        <translation>نرخ رد به تفکیک دلیل</translation>
    </message>
    <message>
        <source>all reasons</source>
        <translation>همهٔ دلیل‌ها</translation>
    </message>
    <message>
        <source>Idempotency collision rate</source>
        <translation>نرخ برخورد ایدمپوتنسی</translation>
    </message>
    <message>
        <source>collisions per request</source>
        <translation>برخورد به ازای هر درخواست</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>/min</source>
        <translation>/دقیقه</translation>
    </message>
    <message>
        <source>requests/min</source>
        <translation>درخواست/دقیقه</translation>
    </message>
    <message>
        <source>denied/min</source>
        <translation>ردشده/دقیقه</translation>
    </message>
    <message>
        <source>requests/min (live scrapes)</source>
        <translation>درخواست/دقیقه (واکشی‌های زنده)</translation>
    </message>
    <message>
        <source>requests/min (Prometheus)</source>
        <translation>درخواست/دقیقه (Prometheus)</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>هزینه</translation>
    </message>
    <message>
        <source>$/h</source>
        <translation>$/ساعت</translation>
    </message>
    <message>
        <source>cost per hour</source>
        <translation>هزینه در ساعت</translation>
    </message>
</context>
<context>
    <name>qc::services::DatabaseWorker</name>
    <message>
        <source>setting up the session failed (%1): %2</source>
        <translation>راه‌اندازی نشست ناموفق بود (%1): %2</translation>
    </message>
    <message>
        <source>superseded by a newer request</source>
        <translation>با یک درخواست جدیدتر جایگزین شد</translation>
    </message>
    <message>
        <source>the database is not connected yet</source>
        <translation>پایگاه داده هنوز متصل نیست</translation>
    </message>
    <message>
        <source>the database is unreachable: %1</source>
        <translation>پایگاه داده در دسترس نیست: %1</translation>
    </message>
    <message>
        <source>the connection to the database was lost</source>
        <translation>اتصال به پایگاه داده قطع شد</translation>
    </message>
</context>
<context>
    <name>qc::services::Kpis</name>
    <message>
        <source>/min</source>
        <translation>/دقیقه</translation>
    </message>
    <message>
        <source>= no change vs previous %1</source>
        <translation>= بدون تغییر نسبت به %1 قبلی</translation>
    </message>
    <message>
        <source>▲ from 0 in the previous %1</source>
        <translation>▲ از ۰ در %1 قبلی</translation>
    </message>
    <message>
        <source>▲ over 1,000× the previous %1</source>
        <translation>▲ بیش از ۱٬۰۰۰ برابرِ %1 قبلی</translation>
    </message>
    <message>
        <source>▲ %1× the previous %2</source>
        <translation>▲ %1 برابرِ %2 قبلی</translation>
    </message>
    <message>
        <source>%1 %2 % vs previous %3</source>
        <translation>%1 %2٪ نسبت به %3 قبلی</translation>
    </message>
    <message>
        <source>%1 %2 pp vs previous %3</source>
        <translation>%1 %2 واحد درصد نسبت به %3 قبلی</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 requests, %2 fail-open</source>
        <translation>%1 درخواست، %2 باز در خطا</translation>
    </message>
    <message>
        <source>live %1</source>
        <translation>زنده %1</translation>
    </message>
    <message>
        <source>p95 quota check</source>
        <translation>p95 بررسی سهمیه</translation>
    </message>
    <message>
        <source>%1 checks over %2 ms</source>
        <translation>%1 بررسی بیش از %2 میلی‌ثانیه</translation>
    </message>
    <message>
        <source>no check over %1 ms</source>
        <translation>هیچ بررسی‌ای بیش از %1 میلی‌ثانیه نبود</translation>
    </message>
    <message>
        <source>Alert when the p95 is above %1 ms or any check takes over %2 ms.</source>
        <translation>هشدار وقتی p95 بالاتر از %1 میلی‌ثانیه باشد یا بررسی‌ای بیش از %2 میلی‌ثانیه طول بکشد.</translation>
    </message>
    <message>
        <source>Denial rate</source>
        <translation>نرخ رد</translation>
    </message>
    <message>
        <source>%1 denied; rate-limited %2</source>
        <translation>%1 ردشده؛ محدودشده با نرخ %2</translation>
    </message>
    <message>
        <source>Alert when more than %1 % of requests are denied or rate-limit hits exceed %2/min.</source>
        <translation>هشدار وقتی بیش از %1٪ درخواست‌ها رد شوند یا برخورد با محدودیت نرخ از %2 در دقیقه بگذرد.</translation>
    </message>
    <message>
        <source>Collision rate</source>
        <translation>نرخ برخورد</translation>
    </message>
    <message>
        <source>%1 idempotency-key collisions</source>
        <translation>%1 برخورد کلید ایدمپوتنسی</translation>
    </message>
    <message>
        <source>Alert when more than %1 % of idempotent requests collide.</source>
        <translation>هشدار وقتی بیش از %1٪ درخواست‌های ایدمپوتنت برخورد کنند.</translation>
    </message>
    <message>
        <source>Cost today</source>
        <translation>هزینهٔ امروز</translation>
    </message>
    <message>
        <source>%1 (range cost %2)</source>
        <translation>%1 (هزینهٔ بازه %2)</translation>
    </message>
    <message>
        <source>month to date %1, projected %2</source>
        <translation>از ابتدای ماه %1، پیش‌بینی %2</translation>
    </message>
    <message>
        <source>live %1/h</source>
        <translation>زنده %1/ساعت</translation>
    </message>
    <message>
        <source>Active blocks</source>
        <translation>مسدودسازی‌های فعال</translation>
    </message>
    <message>
        <source>= as many as %1 ago</source>
        <translation>= همان تعداد %1 پیش</translation>
    </message>
    <message>
        <source>▲ %1 more than %2 ago</source>
        <translation>▲ %1 بیشتر از %2 پیش</translation>
    </message>
    <message>
        <source>▼ %1 fewer than %2 ago</source>
        <translation>▼ %1 کمتر از %2 پیش</translation>
    </message>
    <message>
        <source>%1 IPs, %2 networks, %3 users</source>
        <translation>%1 IP، %2 شبکه، %3 کاربر</translation>
    </message>
    <message>
        <source>Firing alerts</source>
        <translation>هشدارهای فعال</translation>
    </message>
    <message>
        <source>%1 acknowledged; %2 raised in the range</source>
        <translation>%1 تأییدشده؛ %2 در بازه ایجاد شد</translation>
    </message>
    <message>
        <source>Metrics endpoints</source>
        <translation>نقاط پایانی سنجه</translation>
    </message>
    <message>
        <source>%1 of %2 up</source>
        <translation>%1 از %2 فعال</translation>
    </message>
    <message>
        <source>DB errors %1</source>
        <translation>خطاهای پایگاه داده %1</translation>
    </message>
    <message>
        <source>no DB error counter</source>
        <translation>شمارندهٔ خطای پایگاه داده وجود ندارد</translation>
    </message>
    <message>
        <source>Alert when the services report more than %1 database errors a minute.</source>
        <translation>هشدار وقتی سرویس‌ها بیش از %1 خطای پایگاه داده در دقیقه گزارش کنند.</translation>
    </message>
    <message>
        <source>one check over %1 ms</source>
        <translation>یک بررسی بیش از %1 میلی‌ثانیه</translation>
    </message>
</context>
<context>
    <name>qc::services::Preferences</name>
    <message>
        <source>Language: &apos;%1&apos; has no translation; choose one of %2, or the system&apos;s.</source>
        <translation>زبان: برای «%1» ترجمه‌ای وجود ندارد؛ یکی از %2 یا زبان سیستم را انتخاب کنید.</translation>
    </message>
    <message>
        <source>Metrics scrape interval: %1 s is out of range; use 1 to %2 s, or 0 for each profile&apos;s own interval.</source>
        <translation>فاصلهٔ واکشی سنجه: %1 ثانیه خارج از محدوده است؛ از ۱ تا %2 ثانیه یا ۰ برای فاصلهٔ خود هر نمایه استفاده کنید.</translation>
    </message>
    <message>
        <source>Log level: &apos;%1&apos; is not a level; use one of %2.</source>
        <translation>سطح گزارش: «%1» یک سطح نیست؛ یکی از %2 را به کار ببرید.</translation>
    </message>
    <message>
        <source>Data directory: &apos;%1&apos; is a relative path; give an absolute one, e.g. %2.</source>
        <translation>پوشهٔ داده: «%1» یک مسیر نسبی است؛ یک مسیر مطلق بدهید، مثلاً %2.</translation>
    </message>
    <message>
        <source>Data directory: %1 is a file, not a directory.</source>
        <translation>پوشهٔ داده: %1 یک فایل است، نه پوشه.</translation>
    </message>
    <message>
        <source>Data directory: %1 cannot be written by you (%2 is not writable); choose another directory or change its permissions.</source>
        <translation type="vanished">پوشهٔ داده: شما نمی‌توانید در %1 بنویسید (%2 قابل نوشتن نیست)؛ پوشهٔ دیگری انتخاب کنید یا مجوزهای آن را تغییر دهید.</translation>
    </message>
    <message>
        <source>Data directory: %1 cannot be created; choose another directory or check the permissions of %2.</source>
        <translation>پوشهٔ داده: %1 ساخته نمی‌شود؛ پوشهٔ دیگری انتخاب کنید یا مجوزهای %2 را بررسی کنید.</translation>
    </message>
    <message>
        <source>Data directory: %1 cannot be written by you; choose another directory or change its permissions.</source>
        <translation>پوشهٔ داده: شما نمی‌توانید در %1 بنویسید؛ پوشهٔ دیگری انتخاب کنید یا مجوزهای آن را تغییر دهید.</translation>
    </message>
</context>
<context>
    <name>qc::services::SecretStore</name>
    <message>
        <source>the system keychain could not be used (%1); secrets are kept nowhere else (a desktop session with a Secret Service, e.g. gnome-keyring, provides one)</source>
        <translation>جاکلیدی سیستم قابل استفاده نبود (%1)؛ رازها در هیچ جای دیگری نگه داشته نمی‌شوند (یک نشست رومیزی با Secret Service، مثلاً gnome-keyring، آن را فراهم می‌کند)</translation>
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
        <translation>نقطهٔ پایانی سنجهٔ %1: %2</translation>
    </message>
    <message>
        <source>Metrics endpoint %1 is not answering: %2</source>
        <translation>نقطهٔ پایانی سنجهٔ %1 پاسخ نمی‌دهد: %2</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>مدیر</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>اپراتور</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>بیننده</translation>
    </message>
    <message>
        <source>no quota role</source>
        <translation>بدون نقش سهمیه</translation>
    </message>
    <message>
        <source>Connect to a quota database first.</source>
        <translation>ابتدا به یک پایگاه دادهٔ سهمیه متصل شوید.</translation>
    </message>
    <message>
        <source>Needs the %1 role; the connected account is not known yet.</source>
        <translation>به نقش %1 نیاز دارد؛ حساب متصل هنوز شناخته نشده است.</translation>
    </message>
    <message>
        <source>Needs the %1 role; %2 is %3.</source>
        <translation>به نقش %1 نیاز دارد؛ %2 در نقش %3 است.</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>پایگاه داده</translation>
    </message>
    <message>
        <source>Read-only replica</source>
        <translation>نسخهٔ فقط‌خواندنی</translation>
    </message>
    <message>
        <source>%1 connection failed: %2</source>
        <translation>اتصال %1 ناموفق بود: %2</translation>
    </message>
    <message>
        <source>%1 unreachable: %2</source>
        <translation>%1 در دسترس نیست: %2</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>اکنون دوباره تلاش کن</translation>
    </message>
    <message>
        <source>Migrate…</source>
        <translation>مهاجرت…</translation>
    </message>
</context>
<context>
    <name>qc::services::TimeRange</name>
    <message>
        <source>15 m</source>
        <translation>۱۵ دقیقه</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>۱ ساعت</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>۲۴ ساعت</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>۷ روز</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>۳۰ روز</translation>
    </message>
    <message>
        <source>last %1</source>
        <translation>%1 گذشته</translation>
    </message>
    <message>
        <source>last 1 h</source>
        <translation>۱ ساعت گذشته</translation>
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
        <translation>%1، ساخت %2، %3</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Quota Console %1&lt;/h3&gt;&lt;p&gt;Watch, investigate and steer the rate limits, plan quotas and abuse detection of an API kept in a PostgreSQL quota database.&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Build:&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Qt:&lt;/td&gt;&lt;td&gt;%3 (built with %4)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Licence:&lt;/td&gt;&lt;td&gt;GNU General Public License, version 3 or later (GPL-3.0-or-later)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Log files:&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;This program comes with ABSOLUTELY NO WARRANTY. It is free software: you may redistribute it under the terms of the GPL; see &lt;a href=&quot;https://www.gnu.org/licenses/gpl-3.0.html&quot;&gt;the licence&lt;/a&gt;.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;کنسول سهمیه %1&lt;/h3&gt;&lt;p&gt;محدودیت‌های نرخ، سهمیه‌های طرح‌ها و تشخیص سوءاستفادهٔ یک API را که در پایگاه دادهٔ سهمیهٔ PostgreSQL نگه‌داری می‌شوند، پایش، بررسی و هدایت کنید.&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;ساخت:&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Qt:&lt;/td&gt;&lt;td&gt;%3 (ساخته‌شده با %4)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;مجوز:&lt;/td&gt;&lt;td&gt;پروانهٔ عمومی همگانی گنو، نسخهٔ ۳ یا بالاتر (GPL-3.0-or-later)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;فایل‌های گزارش:&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;این برنامه مطلقاً هیچ ضمانتی ندارد. این نرم‌افزار آزاد است: می‌توانید آن را تحت شرایط GPL بازتوزیع کنید؛ &lt;a href=&quot;https://www.gnu.org/licenses/gpl-3.0.html&quot;&gt;متن مجوز&lt;/a&gt; را ببینید.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Quota Console</source>
        <translation>دربارهٔ کنسول سهمیه</translation>
    </message>
</context>
<context>
    <name>qc::ui::AcknowledgeDialog</name>
    <message>
        <source>Acknowledge alert</source>
        <translation>تأیید هشدار</translation>
    </message>
    <message>
        <source>The alert is marked acknowledged in the quota database (when it is there) and silenced in Alertmanager with your note as the silence&apos;s comment.</source>
        <translation>هشدار در پایگاه دادهٔ سهمیه (اگر آنجا باشد) تأییدشده علامت می‌خورد و در Alertmanager با یادداشت شما به‌عنوان توضیح بی‌صداسازی، بی‌صدا می‌شود.</translation>
    </message>
    <message>
        <source>The alert is marked acknowledged in the quota database with your note.</source>
        <translation>هشدار در پایگاه دادهٔ سهمیه با یادداشت شما تأییدشده علامت می‌خورد.</translation>
    </message>
    <message>
        <source>What is being done about it (required; the team sees it)</source>
        <translation>چه کاری برای آن انجام می‌شود (الزامی؛ تیم آن را می‌بیند)</translation>
    </message>
    <message>
        <source>Until it resolves</source>
        <translation>تا زمان رفع آن</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>۱ ساعت</translation>
    </message>
    <message>
        <source>4 hours</source>
        <translation>۴ ساعت</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>۲۴ ساعت</translation>
    </message>
    <message>
        <source>Until…</source>
        <translation>تا…</translation>
    </message>
    <message>
        <source>How long the Alertmanager silence lasts; it ends when the alert resolves in any case</source>
        <translation>مدت بی‌صداسازی Alertmanager؛ در هر صورت با رفع هشدار پایان می‌یابد</translation>
    </message>
    <message>
        <source>Needs an Alertmanager in the connection profile</source>
        <translation>به یک Alertmanager در نمایهٔ اتصال نیاز دارد</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;یادداشت:</translation>
    </message>
    <message>
        <source>&amp;Silence:</source>
        <translation>&amp;بی‌صداسازی:</translation>
    </message>
    <message>
        <source>Until:</source>
        <translation>تا:</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>تأیید</translation>
    </message>
    <message>
        <source>Write a note: it tells the team what is being done.</source>
        <translation>یک یادداشت بنویسید: به تیم می‌گوید چه کاری انجام می‌شود.</translation>
    </message>
    <message>
        <source>The end must be in the future.</source>
        <translation>پایان باید در آینده باشد.</translation>
    </message>
</context>
<context>
    <name>qc::ui::ActivityChart</name>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>Denials</source>
        <translation>ردها</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>Drag across the chart to investigate that span</source>
        <translation>برای بررسی یک بازه، روی نمودار بکشید</translation>
    </message>
</context>
<context>
    <name>qc::ui::AlertNotifier</name>
    <message>
        <source>Quota Console</source>
        <translation>کنسول سهمیه</translation>
    </message>
    <message>
        <source>Show alerts</source>
        <translation>نمایش هشدارها</translation>
    </message>
    <message>
        <source>Notify me of new alerts</source>
        <translation>دربارهٔ هشدارهای جدید آگاهم کن</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>A new alert fired; click to see it.</source>
        <translation>هشدار جدیدی ایجاد شد؛ برای دیدن آن کلیک کنید.</translation>
    </message>
</context>
<context>
    <name>qc::ui::AlertsPage</name>
    <message>
        <source>Show resolved (24 h)</source>
        <translation>نمایش رفع‌شده‌ها (۲۴ ساعت)</translation>
    </message>
    <message>
        <source>Desktop notification for new alerts</source>
        <translation>اعلان رومیزی برای هشدارهای جدید</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>تأیید…</translation>
    </message>
    <message>
        <source>Un-acknowledge…</source>
        <translation>لغو تأیید…</translation>
    </message>
    <message>
        <source>Filter the list</source>
        <translation>پالایش فهرست</translation>
    </message>
    <message>
        <source>Acknowledge the selected alert with a note</source>
        <translation>تأیید هشدار انتخاب‌شده با یک یادداشت</translation>
    </message>
    <message>
        <source>Take the acknowledgement back: the alert fires again</source>
        <translation>پس گرفتن تأیید: هشدار دوباره فعال می‌شود</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Alerts&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;هشدارها&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>هشدارها</translation>
    </message>
    <message>
        <source>The database&apos;s and Alertmanager&apos;s alerts; acknowledge with a note</source>
        <translation>هشدارهای پایگاه داده و Alertmanager؛ تأیید با یادداشت</translation>
    </message>
    <message numerus="yes">
        <source>%n firing</source>
        <translation>
            <numerusform>%n فعال</numerusform>
        </translation>
    </message>
    <message>
        <source>database: read %1 UTC</source>
        <translation>پایگاه داده: خوانده‌شده در %1 UTC</translation>
    </message>
    <message>
        <source>database: %1</source>
        <translation>پایگاه داده: %1</translation>
    </message>
    <message>
        <source>no Alertmanager in this connection profile</source>
        <translation>در این نمایهٔ اتصال Alertmanager وجود ندارد</translation>
    </message>
    <message>
        <source>Alertmanager: %1</source>
        <translation>Alertmanager: %1</translation>
    </message>
    <message>
        <source>Select a firing alert</source>
        <translation>یک هشدار فعال انتخاب کنید</translation>
    </message>
    <message>
        <source>Select an acknowledged alert</source>
        <translation>یک هشدار تأییدشده انتخاب کنید</translation>
    </message>
    <message>
        <source>%1 — %2 (%3), %4</source>
        <translation>%1 — %2 (%3)، %4</translation>
    </message>
    <message>
        <source>Labels: %1</source>
        <translation>برچسب‌ها: %1</translation>
    </message>
    <message>
        <source>Since %1 UTC</source>
        <translation>از %1 UTC</translation>
    </message>
    <message>
        <source>, resolved %1 UTC</source>
        <translation>، رفع‌شده در %1 UTC</translation>
    </message>
    <message>
        <source>Acknowledged by %1 at %2 UTC: %3</source>
        <translation>تأییدشده توسط %1 در %2 UTC: %3</translation>
    </message>
    <message>
        <source>Silence %1 by %2 until %3 UTC: %4</source>
        <translation>بی‌صداسازی %1 توسط %2 تا %3 UTC: %4</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Un-acknowledge</source>
        <translation>لغو تأیید</translation>
    </message>
    <message>
        <source>%1 will show as firing again and its silence in Alertmanager ends.</source>
        <translation>%1 دوباره فعال نشان داده می‌شود و بی‌صداسازی آن در Alertmanager پایان می‌یابد.</translation>
    </message>
    <message>
        <source>That alert is no longer in the list.</source>
        <translation>آن هشدار دیگر در فهرست نیست.</translation>
    </message>
    <message>
        <source>Acknowledging %1…</source>
        <translation>در حال تأیید %1…</translation>
    </message>
    <message>
        <source>Taking the acknowledgement of %1 back…</source>
        <translation>در حال لغو تأیید %1…</translation>
    </message>
    <message>
        <source>Filter alerts</source>
        <translation>پالایش هشدارها</translation>
    </message>
    <message>
        <source>Alert details</source>
        <translation>جزئیات هشدار</translation>
    </message>
</context>
<context>
    <name>qc::ui::AuditPage</name>
    <message>
        <source>Who (role)</source>
        <translation>چه کسی (نقش)</translation>
    </message>
    <message>
        <source>What (e.g. block, change_plan)</source>
        <translation>چه چیزی (مثلاً block، change_plan)</translation>
    </message>
    <message>
        <source>Target contains (e.g. user:u42, ip:203.0.113.7)</source>
        <translation>هدف شامل (مثلاً user:u42، ip:203.0.113.7)</translation>
    </message>
    <message>
        <source>Refresh and verify</source>
        <translation>تازه‌سازی و راستی‌آزمایی</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Audit log&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;گزارش ممیزی&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>ممیزی</translation>
    </message>
    <message>
        <source>Who did what, when and why; the hash chain verified</source>
        <translation>چه کسی، چه کاری، کی و چرا انجام داد؛ زنجیرهٔ درهم‌سازی راستی‌آزمایی‌شده</translation>
    </message>
    <message>
        <source>Could not read the audit log: %1</source>
        <translation>خواندن گزارش ممیزی ممکن نشد: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;⚠ The audit log does not verify.&lt;/b&gt; Row %1 (or the row before it) was changed, deleted or inserted outside the audited functions: its hash does not match the chain. Treat the entries from row %1 on as untrustworthy and tell whoever administers the database.</source>
        <translation>&lt;b&gt;⚠ گزارش ممیزی راستی‌آزمایی نمی‌شود.&lt;/b&gt; سطر %1 (یا سطر پیش از آن) بیرون از تابع‌های ممیزی‌شده تغییر کرده، حذف یا درج شده است: درهم‌سازی آن با زنجیره مطابقت ندارد. ورودی‌ها از سطر %1 به بعد را غیرقابل‌اعتماد بدانید و به مدیر پایگاه داده اطلاع دهید.</translation>
    </message>
    <message>
        <source>✓ The hash chain of the audit log verifies (checked %1 UTC by quota.verify_audit_chain()).</source>
        <translation>✓ زنجیرهٔ درهم‌سازی گزارش ممیزی معتبر است (بررسی‌شده در %1 UTC با quota.verify_audit_chain()‎).</translation>
    </message>
    <message>
        <source>#%1 · %2 UTC · %3 · %4 %5
Why: %6
Client action id: %7
Result: %8</source>
        <translation>#%1 · %2 UTC · %3 · %4 %5
چرا: %6
شناسهٔ اقدام کلاینت: %7
نتیجه: %8</translation>
    </message>
    <message>
        <source>(no reason given)</source>
        <translation>(دلیلی ذکر نشده)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>انجام‌دهنده</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>اقدام</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>هدف</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>گزارش ممیزی</translation>
    </message>
    <message>
        <source>Before and after</source>
        <translation>پیش و پس</translation>
    </message>
    <message>
        <source>Audit entry</source>
        <translation>مورد ممیزی</translation>
    </message>
</context>
<context>
    <name>qc::ui::BannerArea</name>
    <message>
        <source> — since %1</source>
        <translation> — از %1</translation>
    </message>
    <message>
        <source>, retrying in %1 s</source>
        <translation>، تلاش دوباره تا %1 ثانیهٔ دیگر</translation>
    </message>
    <message>
        <source>, retrying now</source>
        <translation>، تلاش دوباره همین حالا</translation>
    </message>
</context>
<context>
    <name>qc::ui::BaselineWidget</name>
    <message>
        <source>Copy into candidate</source>
        <translation>رونوشت در سیاست پیشنهادی</translation>
    </message>
    <message>
        <source>Start the candidate from the baseline (replaces the candidate&apos;s text)</source>
        <translation>شروع سیاست پیشنهادی از خط پایه (متن سیاست پیشنهادی جایگزین می‌شود)</translation>
    </message>
    <message>
        <source>Active policy version</source>
        <translation>نسخهٔ فعال سیاست</translation>
    </message>
    <message>
        <source>Version %1%2 — %3</source>
        <translation>نسخهٔ %1%2 — %3</translation>
    </message>
    <message>
        <source> (active)</source>
        <translation> (فعال)</translation>
    </message>
    <message>
        <source>Built-in default policy</source>
        <translation>سیاست پیش‌فرض داخلی</translation>
    </message>
    <message>
        <source>Policy saved with the workspace</source>
        <translation>سیاست ذخیره‌شده با فضای کاری</translation>
    </message>
    <message>
        <source>Policy file…</source>
        <translation>فایل سیاست…</translation>
    </message>
    <message>
        <source>Baseline policy</source>
        <translation>سیاست خط پایه</translation>
    </message>
    <message>
        <source>Policies (*.json);;All files (*)</source>
        <translation>سیاست‌ها (*.json);;همهٔ فایل‌ها (*)</translation>
    </message>
    <message>
        <source>default policy</source>
        <translation>سیاست پیش‌فرض</translation>
    </message>
    <message>
        <source>policy saved with the workspace</source>
        <translation>سیاست ذخیره‌شده با فضای کاری</translation>
    </message>
    <message>
        <source>Connect to a quota database to compare with its policy versions.</source>
        <translation>برای مقایسه با نسخه‌های سیاست یک پایگاه دادهٔ سهمیه، به آن متصل شوید.</translation>
    </message>
    <message>
        <source>active policy version</source>
        <translation>نسخهٔ فعال سیاست</translation>
    </message>
    <message>
        <source>policy version %1</source>
        <translation>نسخهٔ سیاست %1</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>در حال خواندن %1…</translation>
    </message>
    <message>
        <source>This baseline cannot be used: %1</source>
        <translation>این خط پایه قابل استفاده نیست: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n rule(s), </source>
        <translation>
            <numerusform>%1: %n قاعده، </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s), </source>
        <translation>
            <numerusform>%n طرح، </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n abuse pattern(s).</source>
        <translation>
            <numerusform>%n الگوی سوءاستفاده.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qc::ui::BlockDialog</name>
    <message numerus="yes">
        <source>Block %n identifier(s)</source>
        <translation>
            <numerusform>مسدودسازی %n شناسه</numerusform>
        </translation>
    </message>
    <message>
        <source>Block</source>
        <translation>مسدودسازی</translation>
    </message>
    <message>
        <source>203.0.113.7, 198.51.100.0/24, 2001:db8:1:2::/64 or a user id</source>
        <translation>203.0.113.7، 198.51.100.0/24، 2001:db8:1:2::/64 یا شناسهٔ یک کاربر</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>نشانی IP</translation>
    </message>
    <message>
        <source>Network (CIDR)</source>
        <translation>شبکه (CIDR)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <source>&amp;Identifier:</source>
        <translation>&amp;شناسه:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;نوع:</translation>
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
… و %n مورد دیگر</numerusform>
        </translation>
    </message>
    <message>
        <source>Identifiers:</source>
        <translation>شناسه‌ها:</translation>
    </message>
    <message>
        <source>Why (required; recorded in the audit log)</source>
        <translation>چرا (الزامی؛ در گزارش ممیزی ثبت می‌شود)</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;دلیل:</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>۱ ساعت</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>۲۴ ساعت</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>۷ روز</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>۳۰ روز</translation>
    </message>
    <message>
        <source>Permanent (until unblocked)</source>
        <translation>دائمی (تا رفع مسدودیت)</translation>
    </message>
    <message>
        <source>Until…</source>
        <translation>تا…</translation>
    </message>
    <message>
        <source>&amp;Duration:</source>
        <translation>&amp;مدت:</translation>
    </message>
    <message>
        <source>Until:</source>
        <translation>تا:</translation>
    </message>
    <message>
        <source>Type the address, network or user id to block.</source>
        <translation>نشانی، شبکه یا شناسهٔ کاربری را که باید مسدود شود وارد کنید.</translation>
    </message>
    <message>
        <source>%1 is a network: choose “Network (CIDR)”.</source>
        <translation>%1 یک شبکه است: «شبکه (CIDR)» را انتخاب کنید.</translation>
    </message>
    <message>
        <source>%1 is not an IP address; use e.g. 203.0.113.7 or 2001:db8::1.</source>
        <translation>%1 نشانی IP نیست؛ مثلاً از 203.0.113.7 یا 2001:db8::1 استفاده کنید.</translation>
    </message>
    <message>
        <source>%1 is not a network; use e.g. 198.51.100.0/24 or 2001:db8:1:2::/64.</source>
        <translation>%1 شبکه نیست؛ مثلاً از 198.51.100.0/24 یا 2001:db8:1:2::/64 استفاده کنید.</translation>
    </message>
    <message>
        <source>%1 has bits set after the prefix; the network is %2.</source>
        <translation>%1 بیت‌هایی پس از پیشوند دارد؛ شبکه %2 است.</translation>
    </message>
    <message>
        <source>Unknown target “%1”.</source>
        <translation>هدف ناشناخته «%1».</translation>
    </message>
    <message>
        <source>A reason is required: it goes to the audit log.</source>
        <translation>دلیل الزامی است: در گزارش ممیزی ثبت می‌شود.</translation>
    </message>
    <message>
        <source>The end must be in the future.</source>
        <translation>پایان باید در آینده باشد.</translation>
    </message>
    <message numerus="yes">
        <source>Requests from %n identifier(s) get 403 blocked until %1 UTC.</source>
        <translation>
            <numerusform>درخواست‌های %n شناسه تا %1 UTC پاسخ 403 blocked می‌گیرند.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Requests from %n identifier(s) get 403 blocked until someone unblocks them.</source>
        <translation>
            <numerusform>درخواست‌های %n شناسه پاسخ 403 blocked می‌گیرند تا کسی مسدودیت را بردارد.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qc::ui::BlocksPage</name>
    <message>
        <source>Show ended and lifted blocks</source>
        <translation>نمایش مسدودسازی‌های پایان‌یافته و برداشته‌شده</translation>
    </message>
    <message>
        <source>Block…</source>
        <translation>مسدودسازی…</translation>
    </message>
    <message>
        <source>Unblock…</source>
        <translation>رفع مسدودیت…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>تلاش دوباره</translation>
    </message>
    <message>
        <source>Filter the list</source>
        <translation>پالایش فهرست</translation>
    </message>
    <message>
        <source>Block an IP address, a network or a user</source>
        <translation>مسدودسازی یک نشانی IP، یک شبکه یا یک کاربر</translation>
    </message>
    <message>
        <source>Lift the selected blocks</source>
        <translation>برداشتن مسدودسازی‌های انتخاب‌شده</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Blocks&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;مسدودسازی‌ها&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>مسدودسازی‌ها</translation>
    </message>
    <message>
        <source>Blocked IP addresses, networks and users; block and unblock</source>
        <translation>نشانی‌های IP، شبکه‌ها و کاربران مسدود؛ مسدودسازی و رفع آن</translation>
    </message>
    <message>
        <source>Could not read the blocks: %1</source>
        <translation>خواندن مسدودسازی‌ها ممکن نشد: %1</translation>
    </message>
    <message>
        <source>Could not read the blocks</source>
        <translation>خواندن مسدودسازی‌ها ممکن نشد</translation>
    </message>
    <message>
        <source>Select the blocks to lift</source>
        <translation>مسدودسازی‌هایی را که باید برداشته شوند انتخاب کنید</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>رفع مسدودیت</translation>
    </message>
    <message numerus="yes">
        <source>Lift %n block(s)? Requests from these identifiers are admitted again (subject to the rate limits).</source>
        <translation>
            <numerusform>%n مسدودسازی برداشته شود؟ درخواست‌های این شناسه‌ها دوباره پذیرفته می‌شوند (با رعایت محدودیت‌های نرخ).</numerusform>
        </translation>
    </message>
    <message>
        <source>Block %1 %2</source>
        <translation>مسدودسازی %1 %2</translation>
    </message>
    <message>
        <source>Unblock %1</source>
        <translation>رفع مسدودیت %1</translation>
    </message>
    <message numerus="yes">
        <source>Working on %n action(s)…</source>
        <translation>
            <numerusform>در حال انجام %n اقدام…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) done.</source>
        <translation>
            <numerusform>%n اقدام انجام شد.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) done; these were not:</source>
        <translation>
            <numerusform>%n اقدام انجام شد؛ این‌ها انجام نشدند:</numerusform>
        </translation>
    </message>
    <message>
        <source>Filter blocks</source>
        <translation>پالایش مسدودسازی‌ها</translation>
    </message>
</context>
<context>
    <name>qc::ui::CandidateEditor</name>
    <message>
        <source>Add rule</source>
        <translation>افزودن قاعده</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>حذف قاعده</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>قاعده‌ها</translation>
    </message>
    <message>
        <source>Add plan</source>
        <translation>افزودن طرح</translation>
    </message>
    <message>
        <source>Remove plan</source>
        <translation>حذف طرح</translation>
    </message>
    <message>
        <source>Plans &amp;&amp; quotas</source>
        <translation>طرح‌ها و سهمیه‌ها</translation>
    </message>
    <message>
        <source>Add pattern</source>
        <translation>افزودن الگو</translation>
    </message>
    <message>
        <source>Remove pattern</source>
        <translation>حذف الگو</translation>
    </message>
    <message>
        <source>Abuse patterns</source>
        <translation>الگوهای سوءاستفاده</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>تنظیمات</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>The candidate as a policy file (docs/policy.md); the form and this text are the same policy</source>
        <translation>سیاست پیشنهادی به‌صورت فایل سیاست (docs/policy.md)؛ فرم و این متن یک سیاست‌اند</translation>
    </message>
    <message>
        <source>Click a problem to go to it</source>
        <translation>برای رفتن به یک مشکل روی آن کلیک کنید</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>انتقال به بالا</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>انتقال به پایین</translation>
    </message>
    <message>
        <source>Rules are evaluated in order; the first denying rule is reported</source>
        <translation>قاعده‌ها به ترتیب ارزیابی می‌شوند؛ نخستین قاعدهٔ ردکننده گزارش می‌شود</translation>
    </message>
    <message>
        <source>Add quota…</source>
        <translation>افزودن سهمیه…</translation>
    </message>
    <message>
        <source>A quota metric for every plan (unlimited until you set it)</source>
        <translation>یک سنجهٔ سهمیه برای هر طرح (تا زمانی که تنظیمش کنید نامحدود است)</translation>
    </message>
    <message>
        <source>Add quota</source>
        <translation>افزودن سهمیه</translation>
    </message>
    <message>
        <source>Metric (as endpoint_metrics names it, e.g. api_calls):</source>
        <translation>سنجه (با نامی که endpoint_metrics می‌گذارد، مثلاً api_calls):</translation>
    </message>
    <message>
        <source>(default: %1)</source>
        <translation>(پیش‌فرض: %1)</translation>
    </message>
    <message>
        <source>When the database fails</source>
        <translation>وقتی پایگاه داده از کار بیفتد</translation>
    </message>
    <message>
        <source>open: admit requests live while the quota database is unreachable; closed: deny</source>
        <translation>open: تا وقتی پایگاه دادهٔ سهمیه در دسترس نیست درخواست‌ها پذیرفته شوند؛ closed: رد شوند</translation>
    </message>
    <message>
        <source>Default plan</source>
        <translation>طرح پیش‌فرض</translation>
    </message>
    <message>
        <source>first plan</source>
        <translation>نخستین طرح</translation>
    </message>
    <message>
        <source>Billing cycle</source>
        <translation>چرخهٔ صورت‌حساب</translation>
    </message>
    <message>
        <source>Downgrade grace</source>
        <translation>مهلت کاهش طرح</translation>
    </message>
    <message>
        <source>Idempotency key lifetime</source>
        <translation>طول عمر کلید ایدمپوتنسی</translation>
    </message>
    <message>
        <source>Same key, other request</source>
        <translation>کلید یکسان، درخواست دیگر</translation>
    </message>
    <message>
        <source>reject: answer 409 idempotency_conflict; process: decide it as a new request</source>
        <translation>reject: پاسخ 409 idempotency_conflict؛ process: به‌عنوان درخواست جدید تصمیم‌گیری شود</translation>
    </message>
    <message>
        <source>Never limited</source>
        <translation>هرگز محدود نمی‌شود</translation>
    </message>
    <message>
        <source>Trusted proxies</source>
        <translation>پراکسی‌های مورد اعتماد</translation>
    </message>
    <message>
        <source>Endpoint metrics and the cost model are edited in the JSON view.</source>
        <translation>سنجه‌های نقطهٔ پایانی و مدل هزینه در نمای JSON ویرایش می‌شوند.</translation>
    </message>
    <message>
        <source>The JSON text has a syntax error; the form shows the last readable version and is read-only until the text is fixed.</source>
        <translation>متن JSON خطای نحوی دارد؛ فرم آخرین نسخهٔ خوانا را نشان می‌دهد و تا اصلاح متن فقط‌خواندنی است.</translation>
    </message>
    <message numerus="yes">
        <source>Valid policy: %n rule(s), </source>
        <translation>
            <numerusform>سیاست معتبر: %n قاعده، </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s), </source>
        <translation>
            <numerusform>%n طرح، </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n abuse pattern(s).</source>
        <translation>
            <numerusform>%n الگوی سوءاستفاده.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not a valid policy (%n problem(s)); it cannot be simulated or rolled out until fixed.</source>
        <translation>
            <numerusform>سیاست معتبر نیست (%n مشکل)؛ تا اصلاح نشود نمی‌توان آن را شبیه‌سازی یا اعمال کرد.</numerusform>
        </translation>
    </message>
    <message>
        <source>Plans and quotas</source>
        <translation>طرح‌ها و سهمیه‌ها</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>مشکلات</translation>
    </message>
</context>
<context>
    <name>qc::ui::ChangePlanDialog</name>
    <message>
        <source>unlimited</source>
        <translation>نامحدود</translation>
    </message>
    <message>
        <source>Change plan of %1</source>
        <translation>تغییر طرح %1</translation>
    </message>
    <message>
        <source>Reading the subscription of %1…</source>
        <translation>در حال خواندن اشتراک %1…</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>سنجه</translation>
    </message>
    <message>
        <source>Used this cycle</source>
        <translation>مصرف در این چرخه</translation>
    </message>
    <message>
        <source>Quota now</source>
        <translation>سهمیهٔ کنونی</translation>
    </message>
    <message>
        <source>Quota on new plan</source>
        <translation>سهمیه در طرح جدید</translation>
    </message>
    <message>
        <source>After</source>
        <translation>پس از آن</translation>
    </message>
    <message>
        <source>Why (required; recorded in the audit log)</source>
        <translation>چرا (الزامی؛ در گزارش ممیزی ثبت می‌شود)</translation>
    </message>
    <message>
        <source>Change plan</source>
        <translation>تغییر طرح</translation>
    </message>
    <message>
        <source>Change the plan now</source>
        <translation>طرح همین حالا تغییر کند</translation>
    </message>
    <message>
        <source>New &amp;plan:</source>
        <translation>&amp;طرح جدید:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;دلیل:</translation>
    </message>
    <message>
        <source>Cannot read the subscription: %1</source>
        <translation>خواندن اشتراک ممکن نیست: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; is on &lt;b&gt;%2&lt;/b&gt; (subscription version %3, last changed by %4 at %5 UTC).</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; روی طرح &lt;b&gt;%2&lt;/b&gt; است (نسخهٔ اشتراک %3، آخرین تغییر توسط %4 در %5 UTC).</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>ناشناخته</translation>
    </message>
    <message>
        <source>Downgraded from &lt;b&gt;%1&lt;/b&gt;: its quotas apply until %2 UTC.</source>
        <translation>از &lt;b&gt;%1&lt;/b&gt; کاهش یافته: سهمیه‌های آن تا %2 UTC اعمال می‌شوند.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; has no subscription yet and is on the default plan &lt;b&gt;%2&lt;/b&gt;.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; هنوز اشتراکی ندارد و روی طرح پیش‌فرض &lt;b&gt;%2&lt;/b&gt; است.</translation>
    </message>
    <message>
        <source>%1 (paid, rank %2)</source>
        <translation>%1 (پولی، رتبهٔ %2)</translation>
    </message>
    <message>
        <source>%1 (rank %2)</source>
        <translation>%1 (رتبهٔ %2)</translation>
    </message>
    <message>
        <source>%1 (%2 used of %3)</source>
        <translation>%1 (%2 از %3 مصرف‌شده)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>no requests left</source>
        <translation>هیچ درخواستی باقی نمانده</translation>
    </message>
    <message numerus="yes">
        <source>%n left</source>
        <translation>
            <numerusform>%n باقی‌مانده</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a plan.</source>
        <translation>یک طرح انتخاب کنید.</translation>
    </message>
    <message>
        <source>%1 starts on %2 now, with no grace period. Usage this cycle is kept.</source>
        <translation>%1 از همین حالا روی %2 آغاز می‌شود، بدون مهلت. مصرف این چرخه حفظ می‌شود.</translation>
    </message>
    <message>
        <source>Nothing changes: %1 is already on %2.</source>
        <translation>چیزی تغییر نمی‌کند: %1 از قبل روی %2 است.</translation>
    </message>
    <message>
        <source>Downgrade: %1 moves to %2 now, but keeps the quotas of %3 during the grace period of %4, until %5 UTC; then %2&apos;s quotas apply to this cycle&apos;s usage, which is not reset.</source>
        <translation>کاهش طرح: %1 اکنون به %2 می‌رود، اما در مهلت %4 تا %5 UTC سهمیه‌های %3 را نگه می‌دارد؛ سپس سهمیه‌های %2 بر مصرف این چرخه، که بازنشانی نمی‌شود، اعمال می‌شوند.</translation>
    </message>
    <message>
        <source>Already at or over %1&apos;s quota: %2 — such requests are denied (quota_exceeded) once the grace ends.</source>
        <translation>از هم‌اکنون در حد سهمیهٔ %1 یا فراتر از آن: %2 — چنین درخواست‌هایی پس از پایان مهلت رد می‌شوند (quota_exceeded).</translation>
    </message>
    <message>
        <source>Upgrade: %2&apos;s quotas apply to %1 at once, on this cycle&apos;s usage (not reset); any downgrade grace ends.</source>
        <translation>ارتقای طرح: سهمیه‌های %2 بی‌درنگ بر %1 اعمال می‌شوند، بر پایهٔ مصرف این چرخه (بدون بازنشانی)؛ هر مهلت کاهش طرحی پایان می‌یابد.</translation>
    </message>
    <message>
        <source>The subscription has not been read yet.</source>
        <translation>اشتراک هنوز خوانده نشده است.</translation>
    </message>
    <message>
        <source>A reason is required: it goes to the audit log.</source>
        <translation>دلیل الزامی است: در گزارش ممیزی ثبت می‌شود.</translation>
    </message>
    <message>
        <source>Change plan of %1 to %2</source>
        <translation>تغییر طرح %1 به %2</translation>
    </message>
    <message>
        <source>Changing the plan…</source>
        <translation>در حال تغییر طرح…</translation>
    </message>
    <message>
        <source>Usage against quota</source>
        <translation>مصرف در برابر سهمیه</translation>
    </message>
</context>
<context>
    <name>qc::ui::DashboardPage</name>
    <message numerus="yes">
        <source>%n s old</source>
        <translation>
            <numerusform>%n ثانیه پیش</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min old</source>
        <translation>
            <numerusform>%n دقیقه پیش</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h old</source>
        <translation>
            <numerusform>%n ساعت پیش</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) old</source>
        <translation>
            <numerusform>%n روز پیش</numerusform>
        </translation>
    </message>
    <message>
        <source>Custom time range</source>
        <translation>بازهٔ زمانی دلخواه</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>از:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>تا:</translation>
    </message>
    <message>
        <source>Metrics endpoints</source>
        <translation>نقاط پایانی سنجه</translation>
    </message>
    <message>
        <source>Top IPs</source>
        <translation>IPهای برتر</translation>
    </message>
    <message>
        <source>Top users</source>
        <translation>کاربران برتر</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>نقاط پایانی</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>بازه:</translation>
    </message>
    <message>
        <source>Show the last %1 (%2)</source>
        <translation>نمایش %1 گذشته (%2)</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>دلخواه…</translation>
    </message>
    <message>
        <source>Choose the start and end of the range (%1)</source>
        <translation>انتخاب آغاز و پایان بازه (%1)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>ادامه</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>توقف</translation>
    </message>
    <message>
        <source>Pause or resume the automatic refresh (%1)</source>
        <translation>توقف یا ادامهٔ تازه‌سازی خودکار (%1)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <source>Refresh now (%1)</source>
        <translation>همین حالا تازه‌سازی کن (%1)</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>در حال بارگذاری</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>بدون داده</translation>
    </message>
    <message>
        <source>range</source>
        <translation>بازه</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>در حال بارگذاری %1…</translation>
    </message>
    <message>
        <source>No data: %1</source>
        <translation>بدون داده: %1</translation>
    </message>
    <message>
        <source>Data from %1 (%2): waiting for the database</source>
        <translation>داده‌های %1 (%2): در انتظار پایگاه داده</translation>
    </message>
    <message>
        <source>Data from %1 (%2) — refresh failed: %3</source>
        <translation>داده‌های %1 (%2) — تازه‌سازی ناموفق بود: %3</translation>
    </message>
    <message>
        <source>fixed range</source>
        <translation>بازهٔ ثابت</translation>
    </message>
    <message>
        <source>auto-refresh paused</source>
        <translation>تازه‌سازی خودکار متوقف شده</translation>
    </message>
    <message>
        <source>refresh every %1 s</source>
        <translation>تازه‌سازی هر %1 ثانیه</translation>
    </message>
    <message>
        <source>%1 · updated %2 in %3 ms · %4</source>
        <translation>%1 · تازه‌شده %2 در %3 میلی‌ثانیه · %4</translation>
    </message>
    <message>
        <source> · Prometheus: %1</source>
        <translation> · Prometheus: %1</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>کهنه</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>داشبورد</translation>
    </message>
    <message>
        <source>Live KPIs, charts and top lists</source>
        <translation>شاخص‌های زنده، نمودارها و فهرست‌های برتر</translation>
    </message>
</context>
<context>
    <name>qc::ui::HeaderBar</name>
    <message>
        <source>Environment of this profile</source>
        <translation>محیط این نمایه</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>متصل نیست</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Connected account and its quota role (%1); server PostgreSQL %2%3</source>
        <translation>حساب متصل و نقش سهمیهٔ آن (%1)؛ سرور PostgreSQL %2%3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>هیچ</translation>
    </message>
    <message>
        <source>, a read-only standby</source>
        <translation>، یک پشتیبان فقط‌خواندنی</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>آفلاین</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>در حال اتصال…</translation>
    </message>
    <message>
        <source>Connected since %1</source>
        <translation>متصل از %1</translation>
    </message>
    <message>
        <source>Unreachable since %1 — retrying in %2 s</source>
        <translation>در دسترس نیست از %1 — تلاش دوباره تا %2 ثانیهٔ دیگر</translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation>اتصال ناموفق بود</translation>
    </message>
</context>
<context>
    <name>qc::ui::HttpEndpointEditor</name>
    <message>
        <source>Browse…</source>
        <translation>مرور…</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation>فایل‌های PEM (*.pem *.crt *.key);;همهٔ فایل‌ها (*)</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>کاربر:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>گذرواژه:</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>آزمودن</translation>
    </message>
    <message>
        <source>None</source>
        <translation>هیچ</translation>
    </message>
    <message>
        <source>Basic (user and password)</source>
        <translation>پایه (کاربر و گذرواژه)</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>توکن Bearer</translation>
    </message>
    <message>
        <source>kept in the system keychain</source>
        <translation>در جاکلیدی سیستم نگه‌داری می‌شود</translation>
    </message>
    <message>
        <source>optional: PEM file of a private CA</source>
        <translation>اختیاری: فایل PEM یک CA خصوصی</translation>
    </message>
    <message>
        <source>optional: PEM certificate for mutual TLS</source>
        <translation>اختیاری: گواهی PEM برای TLS دوطرفه</translation>
    </message>
    <message>
        <source>PEM private key of that certificate</source>
        <translation>کلید خصوصی PEM آن گواهی</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>نشانی:</translation>
    </message>
    <message>
        <source>Authentication:</source>
        <translation>احراز هویت:</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>فایل CA:</translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation>گواهی‌های CA</translation>
    </message>
    <message>
        <source>Client certificate:</source>
        <translation>گواهی کلاینت:</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>گواهی کلاینت</translation>
    </message>
    <message>
        <source>Client key:</source>
        <translation>کلید کلاینت:</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>کلید کلاینت</translation>
    </message>
    <message>
        <source>Reachable.</source>
        <translation>در دسترس است.</translation>
    </message>
    <message>
        <source>Reachable: %1</source>
        <translation>در دسترس است: %1</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>توکن:</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>در حال آزمودن…</translation>
    </message>
</context>
<context>
    <name>qc::ui::IncidentsPage</name>
    <message>
        <source>Investigate</source>
        <translation>بررسی</translation>
    </message>
    <message>
        <source>Block…</source>
        <translation>مسدودسازی…</translation>
    </message>
    <message>
        <source>Any severity</source>
        <translation>هر شدتی</translation>
    </message>
    <message>
        <source>Filter the list</source>
        <translation>پالایش فهرست</translation>
    </message>
    <message>
        <source>Block the identifiers of the selected incidents</source>
        <translation>مسدودسازی شناسه‌های رخدادهای انتخاب‌شده</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Incidents&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;رخدادها&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>رخدادها</translation>
    </message>
    <message>
        <source>Abuse incidents and buggy clients</source>
        <translation>رخدادهای سوءاستفاده و کلاینت‌های معیوب</translation>
    </message>
    <message>
        <source>Could not read the incidents: %1</source>
        <translation>خواندن رخدادها ممکن نشد: %1</translation>
    </message>
    <message>
        <source>The 1000 newest incidents of the range; narrow it to see older ones.</source>
        <translation>۱۰۰۰ رخداد تازهٔ این بازه؛ برای دیدن رخدادهای قدیمی‌تر بازه را محدودتر کنید.</translation>
    </message>
    <message numerus="yes">
        <source>%n incident(s) in the range.</source>
        <translation>
            <numerusform>%n رخداد در این بازه.</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;Buggy clients&lt;/b&gt;: no user had more than %1 idempotency collisions in the last 24 hours.</source>
        <translation>&lt;b&gt;کلاینت‌های معیوب&lt;/b&gt;: هیچ کاربری در ۲۴ ساعت گذشته بیش از %1 برخورد ایدمپوتنسی نداشت.</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Buggy clients&lt;/b&gt;: %n user(s) with more than %1 idempotency collisions in the last 24 hours — their clients reuse keys.</source>
        <translation>
            <numerusform>&lt;b&gt;کلاینت‌های معیوب&lt;/b&gt;: %n کاربر با بیش از %1 برخورد ایدمپوتنسی در ۲۴ ساعت گذشته — کلاینت‌هایشان کلیدها را دوباره به کار می‌برند.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opening the block dialog for %n identifier(s)…</source>
        <translation>
            <numerusform>در حال باز کردن پنجرهٔ مسدودسازی برای %n شناسه…</numerusform>
        </translation>
    </message>
    <message>
        <source>abuse incident %1</source>
        <translation>رخداد سوءاستفادهٔ %1</translation>
    </message>
    <message>
        <source>Block %1 %2</source>
        <translation>مسدودسازی %1 %2</translation>
    </message>
    <message>
        <source>Filter incidents</source>
        <translation>پالایش رخدادها</translation>
    </message>
    <message>
        <source>Buggy clients</source>
        <translation>کلاینت‌های معیوب</translation>
    </message>
</context>
<context>
    <name>qc::ui::InvestigatePage</name>
    <message>
        <source>IP address</source>
        <translation>نشانی IP</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>شبکه</translation>
    </message>
    <message>
        <source>User</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>Investigate</source>
        <translation>بررسی</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>بازگشت</translation>
    </message>
    <message>
        <source>Block…</source>
        <translation>مسدودسازی…</translation>
    </message>
    <message>
        <source>Change plan…</source>
        <translation>تغییر طرح…</translation>
    </message>
    <message>
        <source>IP (203.0.113.7), network (198.51.100.0/24, 2001:db8:1:2::/64), user id or /endpoint</source>
        <translation>IP (203.0.113.7)، شبکه (198.51.100.0/24، 2001:db8:1:2::/64)، شناسهٔ کاربر یا ‎/endpoint</translation>
    </message>
    <message>
        <source>Block what is being investigated</source>
        <translation>مسدودسازی آنچه بررسی می‌شود</translation>
    </message>
    <message>
        <source>Change this user&apos;s plan</source>
        <translation>تغییر طرح این کاربر</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>Denials by reason</source>
        <translation>ردها به تفکیک دلیل</translation>
    </message>
    <message>
        <source>Rate limits now</source>
        <translation>محدودیت‌های نرخ در این لحظه</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>مسدودسازی‌ها</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>رخدادها</translation>
    </message>
    <message>
        <source>Collisions</source>
        <translation>برخوردها</translation>
    </message>
    <message>
        <source>Plan and usage</source>
        <translation>طرح و مصرف</translation>
    </message>
    <message>
        <source>Plan changes</source>
        <translation>تغییرات طرح</translation>
    </message>
    <message>
        <source>Related</source>
        <translation>مرتبط</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>Type an IP address, a network, a user id or an endpoint above, or pick a row of a top list or a span of a chart on the Dashboard to investigate it.</source>
        <translation>برای بررسی، یک نشانی IP، شبکه، شناسهٔ کاربر یا نقطهٔ پایانی را در بالا وارد کنید، یا در داشبورد سطری از یک فهرست برتر یا بازه‌ای از یک نمودار را برگزینید.</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Investigate&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;بررسی&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>An IP, network, user or endpoint: requests, denials, blocks, incidents, collisions, plan and rate limits</source>
        <translation>یک IP، شبکه، کاربر یا نقطهٔ پایانی: درخواست‌ها، ردها، مسدودسازی‌ها، رخدادها، برخوردها، طرح و محدودیت‌های نرخ</translation>
    </message>
    <message>
        <source>Who was active around the alert %1:</source>
        <translation>چه کسانی حوالی هشدار %1 فعال بودند:</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>در حال خواندن…</translation>
    </message>
    <message>
        <source>Could not read the investigation: %1</source>
        <translation>خواندن بررسی ممکن نشد: %1</translation>
    </message>
    <message>
        <source>Timeline read in %1 ms.</source>
        <translation>خط زمانی در %1 میلی‌ثانیه خوانده شد.</translation>
    </message>
    <message>
        <source>Denials by reason (%1)</source>
        <translation>ردها به تفکیک دلیل (%1)</translation>
    </message>
    <message>
        <source>Blocks (%1)</source>
        <translation>مسدودسازی‌ها (%1)</translation>
    </message>
    <message>
        <source>Incidents (%1)</source>
        <translation>رخدادها (%1)</translation>
    </message>
    <message>
        <source>Collisions (%1)</source>
        <translation>برخوردها (%1)</translation>
    </message>
    <message>
        <source>IP addresses</source>
        <translation>نشانی‌های IP</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>کاربران</translation>
    </message>
    <message>
        <source>On &lt;b&gt;%1&lt;/b&gt; since %2 UTC (changed by %3).</source>
        <translation>روی &lt;b&gt;%1&lt;/b&gt; از %2 UTC (تغییر توسط %3).</translation>
    </message>
    <message>
        <source>No subscription: on the default plan &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>بدون اشتراک: روی طرح پیش‌فرض &lt;b&gt;%1&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>Downgraded from &lt;b&gt;%1&lt;/b&gt;, whose quotas apply until %2 UTC.</source>
        <translation>از &lt;b&gt;%1&lt;/b&gt; کاهش یافته که سهمیه‌هایش تا %2 UTC اعمال می‌شوند.</translation>
    </message>
    <message>
        <source>Some parts could not be read: %1</source>
        <translation>برخی بخش‌ها خوانده نشدند: %1</translation>
    </message>
    <message>
        <source>%1 – %2 UTC</source>
        <translation>%1 – %2 UTC</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n درخواست</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 denied (%2)</source>
        <translation>%1 ردشده (%2)</translation>
    </message>
    <message>
        <source>cost %1</source>
        <translation>هزینه %1</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation>آخرین مشاهده %1</translation>
    </message>
    <message>
        <source>BLOCKED until %1</source>
        <translation>مسدود تا %1</translation>
    </message>
    <message>
        <source>BLOCKED</source>
        <translation>مسدود</translation>
    </message>
    <message numerus="yes">
        <source>BUGGY CLIENT: %n collisions in 24 h</source>
        <translation>
            <numerusform>کلاینت معیوب: %n برخورد در ۲۴ ساعت</numerusform>
        </translation>
    </message>
    <message>
        <source>plan %1</source>
        <translation>طرح %1</translation>
    </message>
    <message numerus="yes">
        <source>%n incident(s)</source>
        <translation>
            <numerusform>%n رخداد</numerusform>
        </translation>
    </message>
    <message>
        <source>Investigate %1</source>
        <translation>بررسی %1</translation>
    </message>
    <message>
        <source>Block %1 %2</source>
        <translation>مسدودسازی %1 %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 – %2 UTC&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 – %2 UTC&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Reading who was active from %1 to %2 UTC…</source>
        <translation>در حال خواندن اینکه چه کسانی از %1 تا %2 UTC فعال بودند…</translation>
    </message>
    <message>
        <source>Could not read the span: %1</source>
        <translation>خواندن بازه ممکن نشد: %1</translation>
    </message>
    <message>
        <source>Who was active from %1 to %2 UTC (IPs and users by the hour). Double-click a row to investigate it.</source>
        <translation>چه کسانی از %1 تا %2 UTC فعال بودند (IPها و کاربران به تفکیک ساعت). برای بررسی یک سطر روی آن دوبار کلیک کنید.</translation>
    </message>
    <message>
        <source>What to investigate</source>
        <translation>آنچه بررسی شود</translation>
    </message>
    <message>
        <source>Usage against quota</source>
        <translation>مصرف در برابر سهمیه</translation>
    </message>
    <message>
        <source>Top IPs in the span</source>
        <translation>پرکارترین IPها در بازه</translation>
    </message>
    <message>
        <source>Top users in the span</source>
        <translation>پرکارترین کاربران در بازه</translation>
    </message>
    <message>
        <source>Top endpoints in the span</source>
        <translation>پرکارترین نقاط پایانی در بازه</translation>
    </message>
</context>
<context>
    <name>qc::ui::KpiTile</name>
    <message>
        <source>stale: %1</source>
        <translation>کهنه: %1</translation>
    </message>
</context>
<context>
    <name>qc::ui::MainWindow</name>
    <message>
        <source>Quota Console</source>
        <translation>کنسول سهمیه</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;پرونده</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>ا&amp;تصال</translation>
    </message>
    <message>
        <source>&amp;Manage profiles…</source>
        <translation>&amp;مدیریت نمایه‌ها…</translation>
    </message>
    <message>
        <source>&amp;New profile…</source>
        <translation>نمایهٔ &amp;جدید…</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;قطع اتصال</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;خروج</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;نما</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;راهنما</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>باز کردن پوشهٔ &amp;گزارش‌ها</translation>
    </message>
    <message>
        <source>&amp;About Quota Console</source>
        <translation>&amp;دربارهٔ کنسول سهمیه</translation>
    </message>
    <message>
        <source>%1  [%2]</source>
        <translation>%1  [%2]</translation>
    </message>
    <message>
        <source>No profiles yet — File → New profile…</source>
        <translation>هنوز نمایه‌ای نیست — پرونده ← نمایهٔ جدید…</translation>
    </message>
    <message>
        <source>There is no connection profile %1.</source>
        <translation>نمایهٔ اتصال %1 وجود ندارد.</translation>
    </message>
    <message>
        <source>Reading the secrets of %1 from the keychain…</source>
        <translation>در حال خواندن رازهای %1 از جاکلیدی…</translation>
    </message>
    <message>
        <source>Keychain: %1. Connecting without saved secrets (libpq may still find ~/.pgpass).</source>
        <translation>جاکلیدی: %1. اتصال بدون رازهای ذخیره‌شده (libpq ممکن است هنوز ‎~/.pgpass را پیدا کند).</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>متصل نیست</translation>
    </message>
    <message>
        <source>%1 — Quota Console</source>
        <translation>%1 — کنسول سهمیه</translation>
    </message>
    <message>
        <source>%1 [%2] — Quota Console</source>
        <translation>%1 [%2] — کنسول سهمیه</translation>
    </message>
    <message>
        <source>Migrate the quota database</source>
        <translation>مهاجرت پایگاه دادهٔ سهمیه</translation>
    </message>
    <message numerus="yes">
        <source>Apply %n pending schema migration(s) to %1 as %2? Each runs in its own transaction and is recorded in quota.schema_migrations.</source>
        <translation>
            <numerusform>%n مهاجرت معوق طرح‌واره روی %1 با حساب %2 اعمال شود؟ هر کدام در تراکنش خودش اجرا و در quota.schema_migrations ثبت می‌شود.</numerusform>
        </translation>
    </message>
    <message>
        <source>Migrating…</source>
        <translation>در حال مهاجرت…</translation>
    </message>
    <message numerus="yes">
        <source>%n migration(s) applied.</source>
        <translation>
            <numerusform>%n مهاجرت اعمال شد.</numerusform>
        </translation>
    </message>
    <message>
        <source>Migration failed</source>
        <translation>مهاجرت ناموفق بود</translation>
    </message>
    <message>
        <source>Investigation of %1 is not available in this version.</source>
        <translation>بررسی %1 در این نسخه در دسترس نیست.</translation>
    </message>
    <message>
        <source>that time span</source>
        <translation>آن بازهٔ زمانی</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>پوشهٔ گزارش‌ها</translation>
    </message>
    <message>
        <source>The log files are in %1</source>
        <translation>فایل‌های گزارش در %1 هستند</translation>
    </message>
    <message>
        <source>About Quota Console</source>
        <translation type="vanished">دربارهٔ کنسول سهمیه</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Quota Console %1&lt;/h3&gt;&lt;p&gt;Watch, investigate and steer the rate limits, plan quotas and abuse detection of an API kept in a PostgreSQL quota database.&lt;/p&gt;&lt;p&gt;Log files: %2&lt;/p&gt;</source>
        <translation type="vanished">&lt;h3&gt;کنسول سهمیه %1&lt;/h3&gt;&lt;p&gt;محدودیت‌های نرخ، سهمیه‌های طرح‌ها و تشخیص سوءاستفادهٔ یک API را که در پایگاه دادهٔ سهمیهٔ PostgreSQL نگه‌داری می‌شوند، پایش، بررسی و هدایت کنید.&lt;/p&gt;&lt;p&gt;فایل‌های گزارش: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;تنظیمات…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;میان‌برهای صفحه‌کلید</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;پوسته</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;سیستم</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;روشن</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;تیره</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>صفحه‌ها</translation>
    </message>
</context>
<context>
    <name>qc::ui::Page</name>
    <message>
        <source>waiting for the database (%1)</source>
        <translation>در انتظار پایگاه داده (%1)</translation>
    </message>
</context>
<context>
    <name>qc::ui::PolicyTextEdit</name>
    <message>
        <source>Candidate policy JSON</source>
        <translation>JSON سیاست پیشنهادی</translation>
    </message>
</context>
<context>
    <name>qc::ui::PolicyVersionsWidget</name>
    <message>
        <source>Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <source>Use as baseline</source>
        <translation>استفاده به‌عنوان خط پایه</translation>
    </message>
    <message>
        <source>Copy into candidate</source>
        <translation>رونوشت در سیاست پیشنهادی</translation>
    </message>
    <message>
        <source>Roll out the candidate…</source>
        <translation>اعمال سیاست پیشنهادی…</translation>
    </message>
    <message>
        <source>Roll back to this version…</source>
        <translation>بازگشت به این نسخه…</translation>
    </message>
    <message>
        <source>Compare the candidate with the selected version</source>
        <translation>مقایسهٔ سیاست پیشنهادی با نسخهٔ انتخاب‌شده</translation>
    </message>
    <message>
        <source>Replace the candidate with the selected version, to edit it</source>
        <translation>جایگزینی سیاست پیشنهادی با نسخهٔ انتخاب‌شده برای ویرایش آن</translation>
    </message>
    <message>
        <source>Make the candidate the active policy version; live enforcement uses it from the next request</source>
        <translation>سیاست پیشنهادی به نسخهٔ فعال سیاست تبدیل شود؛ اعمال زنده از درخواست بعدی آن را به کار می‌برد</translation>
    </message>
    <message>
        <source>Make the selected earlier version the active one again</source>
        <translation>نسخهٔ پیشینِ انتخاب‌شده دوباره فعال شود</translation>
    </message>
    <message>
        <source>This version is active</source>
        <translation>این نسخه فعال است</translation>
    </message>
    <message>
        <source>Policy versions</source>
        <translation>نسخه‌های سیاست</translation>
    </message>
</context>
<context>
    <name>qc::ui::ProfileDialog</name>
    <message>
        <source>basic</source>
        <translation>پایه</translation>
    </message>
    <message>
        <source>bearer token</source>
        <translation>توکن Bearer</translation>
    </message>
    <message>
        <source>none</source>
        <translation>هیچ</translation>
    </message>
    <message>
        <source>Metrics endpoint</source>
        <translation>نقطهٔ پایانی سنجه</translation>
    </message>
    <message>
        <source>e.g. gateway-1</source>
        <translation>مثلاً gateway-1</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>نام:</translation>
    </message>
    <message>
        <source>New connection profile</source>
        <translation>نمایهٔ اتصال جدید</translation>
    </message>
    <message>
        <source>Connection profile %1</source>
        <translation>نمایهٔ اتصال %1</translation>
    </message>
    <message>
        <source>General</source>
        <translation>عمومی</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>پایگاه داده</translation>
    </message>
    <message>
        <source>Metrics endpoints</source>
        <translation>نقاط پایانی سنجه</translation>
    </message>
    <message>
        <source>Prometheus &amp;&amp; Alertmanager</source>
        <translation>Prometheus و Alertmanager</translation>
    </message>
    <message>
        <source>Migration failed: %1</source>
        <translation>مهاجرت ناموفق بود: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n migration(s) applied; testing again…</source>
        <translation>
            <numerusform>%n مهاجرت اعمال شد؛ در حال آزمودن دوباره…</numerusform>
        </translation>
    </message>
    <message>
        <source>e.g. Production EU</source>
        <translation>مثلاً Production EU</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>محیط:</translation>
    </message>
    <message>
        <source>Shown in the window&apos;s header in its colour, so that production is never mistaken for staging.</source>
        <translation>با رنگ خودش در سرصفحهٔ پنجره نشان داده می‌شود تا محیط عملیاتی هرگز با محیط آزمایشی اشتباه گرفته نشود.</translation>
    </message>
    <message>
        <source>Environment colour</source>
        <translation>رنگ محیط</translation>
    </message>
    <message>
        <source> s</source>
        <translation> ثانیه</translation>
    </message>
    <message>
        <source>Scrape interval:</source>
        <translation>فاصلهٔ واکشی:</translation>
    </message>
    <message>
        <source>Quota database (primary)</source>
        <translation>پایگاه دادهٔ سهمیه (اصلی)</translation>
    </message>
    <message>
        <source>empty: libpq&apos;s ~/.pgpass or PGPASSWORD</source>
        <translation>خالی: ‎~/.pgpass کتابخانهٔ libpq یا PGPASSWORD</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>آزمودن اتصال</translation>
    </message>
    <message>
        <source>Migrate…</source>
        <translation>مهاجرت…</translation>
    </message>
    <message>
        <source>Connection string:</source>
        <translation>رشتهٔ اتصال:</translation>
    </message>
    <message>
        <source>Any libpq form: a URI, host=… dbname=… user=…, or service=name from ~/.pg_service.conf.
TLS: sslmode=verify-full sslrootcert=/path/ca.pem.</source>
        <translation>هر قالب libpq: یک URI، ‏host=… dbname=… user=…‎ یا service=name از ‎~/.pg_service.conf.
TLS: sslmode=verify-full sslrootcert=/path/ca.pem.</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>گذرواژه:</translation>
    </message>
    <message>
        <source>Read-only replica (optional)</source>
        <translation>نسخهٔ فقط‌خواندنی (اختیاری)</translation>
    </message>
    <message>
        <source>dashboards and investigation read here; actions use the primary</source>
        <translation>داشبوردها و بررسی‌ها از اینجا می‌خوانند؛ اقدام‌ها از سرور اصلی استفاده می‌کنند</translation>
    </message>
    <message>
        <source>The quota services&apos; /metrics pages (Prometheus text or OpenMetrics). The dashboard scrapes them for live rates and p95, summed across instances, and shows each one&apos;s health.</source>
        <translation>صفحه‌های ‎/metrics سرویس‌های سهمیه (متن Prometheus یا OpenMetrics). داشبورد آن‌ها را برای نرخ‌های زنده و p95 واکشی می‌کند، روی همهٔ نمونه‌ها جمع می‌زند و سلامت هر کدام را نشان می‌دهد.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>نام</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>نشانی</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>احراز هویت</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>افزودن…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>ویرایش…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>Prometheus (optional: metrics history)</source>
        <translation>Prometheus (اختیاری: تاریخچهٔ سنجه‌ها)</translation>
    </message>
    <message>
        <source>Alertmanager (optional: alerts and silences)</source>
        <translation>Alertmanager (اختیاری: هشدارها و بی‌صداسازی‌ها)</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>در حال آزمودن…</translation>
    </message>
    <message>
        <source>Connected as %1 (%2) to %3, PostgreSQL %4; schema up to date%5.</source>
        <translation>متصل به‌عنوان %1 (%2) به %3، PostgreSQL %4؛ طرح‌واره به‌روز است%5.</translation>
    </message>
    <message>
        <source>; a read-only standby</source>
        <translation>؛ یک پشتیبان فقط‌خواندنی</translation>
    </message>
    <message>
        <source>Migrate the quota database</source>
        <translation>مهاجرت پایگاه دادهٔ سهمیه</translation>
    </message>
    <message>
        <source>Apply the pending schema migrations to this database now? Each migration runs in its own transaction and is recorded in quota.schema_migrations.</source>
        <translation>مهاجرت‌های معوق طرح‌واره همین حالا روی این پایگاه داده اعمال شوند؟ هر مهاجرت در تراکنش خودش اجرا و در quota.schema_migrations ثبت می‌شود.</translation>
    </message>
    <message>
        <source>Migrating…</source>
        <translation>در حال مهاجرت…</translation>
    </message>
</context>
<context>
    <name>qc::ui::ProfilesDialog</name>
    <message>
        <source>Edit…</source>
        <translation>ویرایش…</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>تکثیر</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>اتصال</translation>
    </message>
    <message>
        <source>Connection profiles</source>
        <translation>نمایه‌های اتصال</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>جدید…</translation>
    </message>
    <message>
        <source>Reading the saved secrets from the keychain…</source>
        <translation>در حال خواندن رازهای ذخیره‌شده از جاکلیدی…</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (رونوشت)</translation>
    </message>
    <message>
        <source>Saving the secrets in the keychain…</source>
        <translation>در حال ذخیرهٔ رازها در جاکلیدی…</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>حذف نمایه</translation>
    </message>
    <message>
        <source>Delete the profile %1 and its secrets in the keychain?</source>
        <translation>نمایهٔ %1 و رازهای آن در جاکلیدی حذف شوند؟</translation>
    </message>
</context>
<context>
    <name>qc::ui::ReasonDialog</name>
    <message>
        <source>Reason (required; recorded in the audit log)</source>
        <translation>دلیل (الزامی؛ در گزارش ممیزی ثبت می‌شود)</translation>
    </message>
    <message>
        <source>Note (optional; recorded in the audit log)</source>
        <translation>یادداشت (اختیاری؛ در گزارش ممیزی ثبت می‌شود)</translation>
    </message>
    <message>
        <source>A reason is required: it goes to the audit log.</source>
        <translation>دلیل الزامی است: در گزارش ممیزی ثبت می‌شود.</translation>
    </message>
</context>
<context>
    <name>qc::ui::RequestLogView</name>
    <message>
        <source>Reading…</source>
        <translation>در حال خواندن…</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) loaded; reading more…</source>
        <translation>
            <numerusform>%n سطر بارگذاری شد؛ در حال خواندن بیشتر…</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not read the requests: %1</source>
        <translation>خواندن درخواست‌ها ممکن نشد: %1</translation>
    </message>
    <message>
        <source>No requests match.</source>
        <translation>هیچ درخواستی مطابقت ندارد.</translation>
    </message>
    <message numerus="yes">
        <source>%n newest row(s) shown (last page %1 ms); scroll for older ones.</source>
        <translation>
            <numerusform>%n سطر تازه نمایش داده شد (آخرین صفحه %1 میلی‌ثانیه)؛ برای سطرهای قدیمی‌تر پیمایش کنید.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %n matching row(s) shown.</source>
        <translation>
            <numerusform>همهٔ %n سطر مطابق نمایش داده شد.</numerusform>
        </translation>
    </message>
    <message>
        <source>Investigate IP %1</source>
        <translation>بررسی IP %1</translation>
    </message>
    <message>
        <source>Investigate user %1</source>
        <translation>بررسی کاربر %1</translation>
    </message>
    <message>
        <source>Investigate endpoint %1</source>
        <translation>بررسی نقطهٔ پایانی %1</translation>
    </message>
    <message>
        <source>Copy “%1”</source>
        <translation>رونوشت «%1»</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
</context>
<context>
    <name>qc::ui::RequestsPage</name>
    <message>
        <source>Export CSV…</source>
        <translation>صدور CSV…</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>لغو صدور</translation>
    </message>
    <message>
        <source>IP, network (CIDR) or user id</source>
        <translation>IP، شبکه (CIDR) یا شناسهٔ کاربر</translation>
    </message>
    <message>
        <source>Endpoint (exact, or with * and ?)</source>
        <translation>نقطهٔ پایانی (دقیق یا با * و ?)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <source>Any decision</source>
        <translation>هر تصمیمی</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>پذیرفته</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>ردشده</translation>
    </message>
    <message>
        <source>Any reason</source>
        <translation>هر دلیلی</translation>
    </message>
    <message>
        <source>Rule id</source>
        <translation>شناسهٔ قاعده</translation>
    </message>
    <message>
        <source>Request id</source>
        <translation>شناسهٔ درخواست</translation>
    </message>
    <message>
        <source>Write the rows of this filter, oldest first, to a CSV file that quotactl simulate reads as a trace</source>
        <translation>نوشتن سطرهای این پالایه، از قدیمی‌ترین، در یک فایل CSV که quotactl simulate آن را به‌عنوان ردگیری می‌خواند</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Requests&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;درخواست‌ها&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>The request log, filtered on the server; export to CSV</source>
        <translation>گزارش درخواست‌ها، پالایش‌شده روی سرور؛ صدور به CSV</translation>
    </message>
    <message>
        <source>Export requests to CSV</source>
        <translation>صدور درخواست‌ها به CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>فایل‌های CSV (*.csv)</translation>
    </message>
    <message>
        <source>Connecting for the export to %1…</source>
        <translation>در حال اتصال برای صدور به %1…</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>در حال صدور به %1…</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>نوشتن %1 ممکن نیست: %2</translation>
    </message>
    <message>
        <source>cannot connect for the export: %1</source>
        <translation>اتصال برای صدور ممکن نیست: %1</translation>
    </message>
    <message numerus="yes">
        <source>Exporting to %1… %n row(s) written</source>
        <translation>
            <numerusform>در حال صدور به %1… %n سطر نوشته شد</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelling the export…</source>
        <translation>در حال لغو صدور…</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>صدور لغو شد؛ هیچ فایلی نوشته نشد.</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>صدور ناموفق بود: %1</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n row(s) to %1.</source>
        <translation>
            <numerusform>%n سطر به %1 صادر شد.</numerusform>
        </translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>شناسه</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>قاعده</translation>
    </message>
</context>
<context>
    <name>qc::ui::RolloutDialog</name>
    <message>
        <source>Active now</source>
        <translation>اکنون فعال</translation>
    </message>
    <message>
        <source>After</source>
        <translation>پس از آن</translation>
    </message>
    <message>
        <source>It decides every request as the active version does.</source>
        <translation>هر درخواست را همان‌گونه تصمیم می‌گیرد که نسخهٔ فعال.</translation>
    </message>
    <message>
        <source>What changes from the active version:</source>
        <translation>آنچه نسبت به نسخهٔ فعال تغییر می‌کند:</translation>
    </message>
    <message>
        <source>Why (recorded in the audit log; required):</source>
        <translation>چرا (در گزارش ممیزی ثبت می‌شود؛ الزامی):</translation>
    </message>
    <message>
        <source>e.g. Halve the per-minute limit: bot bursts cost $40 a day (simulated on last week&apos;s traffic, no paid customer affected)</source>
        <translation>مثلاً نصف کردن محدودیت دقیقه‌ای: هجوم ربات‌ها روزانه ۴۰ دلار هزینه دارد (شبیه‌سازی‌شده روی ترافیک هفتهٔ گذشته، بی‌اثر بر مشتریان پولی)</translation>
    </message>
</context>
<context>
    <name>qc::ui::Screenshotter</name>
    <message>
        <source>The page %1 had no data after %2 s; no screenshot written.</source>
        <translation>صفحهٔ %1 پس از %2 ثانیه داده‌ای نداشت؛ تصویری ذخیره نشد.</translation>
    </message>
    <message>
        <source>There is no page &apos;%1&apos;; use one of %2.</source>
        <translation>صفحه‌ای با نام «%1» وجود ندارد؛ یکی از %2 را به کار ببرید.</translation>
    </message>
    <message>
        <source>About Quota Console</source>
        <translation>دربارهٔ کنسول سهمیه</translation>
    </message>
    <message>
        <source>Cannot write the screenshot %1.</source>
        <translation>نوشتن تصویر صفحهٔ %1 ممکن نیست.</translation>
    </message>
    <message>
        <source>Screenshot of %1 written to %2 (%3×%4).</source>
        <translation>تصویر صفحهٔ %1 در %2 نوشته شد (%3×%4).</translation>
    </message>
</context>
<context>
    <name>qc::ui::SettingsDialog</name>
    <message>
        <source>Show a tray &amp;notification when an alert fires</source>
        <translation>نمایش &amp;اعلان در سینی سیستم هنگام ایجاد یک هشدار</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>تنظیمات</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>پیش‌فرض سیستم (%1)</translation>
    </message>
    <message>
        <source>A new language applies when the console is started again.</source>
        <translation>زبان جدید با راه‌اندازی دوبارهٔ کنسول اعمال می‌شود.</translation>
    </message>
    <message>
        <source>System</source>
        <translation>سیستم</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>روشن</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>تیره</translation>
    </message>
    <message>
        <source>Local time (%1)</source>
        <translation>زمان محلی (%1)</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source> s</source>
        <translation> ثانیه</translation>
    </message>
    <message>
        <source>Each profile&apos;s own interval</source>
        <translation>فاصلهٔ خود هر نمایه</translation>
    </message>
    <message>
        <source>Applies from the next connection.</source>
        <translation>از اتصال بعدی اعمال می‌شود.</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>اطلاع و بالاتر</translation>
    </message>
    <message>
        <source>Warning and above</source>
        <translation>اخطار و بالاتر</translation>
    </message>
    <message>
        <source>Critical only</source>
        <translation>فقط بحرانی</translation>
    </message>
    <message>
        <source>Trace (everything)</source>
        <translation>ردگیری (همه چیز)</translation>
    </message>
    <message>
        <source>Debug</source>
        <translation>اشکال‌زدایی</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>اطلاع</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>اخطارها</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>خطاها</translation>
    </message>
    <message>
        <source>Critical errors</source>
        <translation>خطاهای بحرانی</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>خاموش</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;مرور…</translation>
    </message>
    <message>
        <source>Choose the data directory</source>
        <translation>انتخاب پوشهٔ داده</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>ظاهر</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;زبان:</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;پوسته:</translation>
    </message>
    <message>
        <source>Show &amp;times in:</source>
        <translation>نمایش &amp;زمان‌ها به:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تازه‌سازی</translation>
    </message>
    <message>
        <source>&amp;Dashboard refresh:</source>
        <translation>تازه‌سازی &amp;داشبورد:</translation>
    </message>
    <message>
        <source>&amp;Metrics scrape:</source>
        <translation>واکشی &amp;سنجه‌ها:</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>اعلان‌ها</translation>
    </message>
    <message>
        <source>Minimum &amp;severity:</source>
        <translation>&amp;کمینهٔ شدت:</translation>
    </message>
    <message>
        <source>Logs and data</source>
        <translation>گزارش‌ها و داده‌ها</translation>
    </message>
    <message>
        <source>Log l&amp;evel:</source>
        <translation>سطح &amp;گزارش:</translation>
    </message>
    <message>
        <source>Data di&amp;rectory:</source>
        <translation>&amp;پوشهٔ داده:</translation>
    </message>
    <message>
        <source>Logs and the demo are kept here. Empty: the default directory shown.</source>
        <translation>گزارش‌ها و نسخهٔ نمایشی اینجا نگه‌داری می‌شوند. خالی: پوشهٔ پیش‌فرضِ نشان‌داده‌شده.</translation>
    </message>
    <message>
        <source>The settings apply now but could not be saved: %1.</source>
        <translation>تنظیمات اکنون اعمال می‌شوند اما ذخیره نشدند: %1.</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>پوشهٔ داده</translation>
    </message>
</context>
<context>
    <name>qc::ui::ShortcutsDialog</name>
    <message>
        <source>Window</source>
        <translation>پنجره</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>میان‌برهای صفحه‌کلید</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>کجا</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>اقدام</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>میان‌بر</translation>
    </message>
</context>
<context>
    <name>qc::ui::SimulatePage</name>
    <message>
        <source>Setup</source>
        <translation>پیکربندی</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>نتایج</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>پیمایش پارامتر</translation>
    </message>
    <message>
        <source>Versions &amp;&amp; rollout</source>
        <translation>نسخه‌ها و اعمال</translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation>شبیه‌سازی</translation>
    </message>
    <message>
        <source>Replay recorded traffic through a candidate policy, compare, sweep, roll out</source>
        <translation>بازپخش ترافیک ضبط‌شده از طریق یک سیاست پیشنهادی، مقایسه، پیمایش پارامتر و اعمال</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>اجرا</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>لغو</translation>
    </message>
    <message>
        <source>Run sweep</source>
        <translation>اجرای پیمایش</translation>
    </message>
    <message>
        <source>Run the sweep set on the Sweep tab</source>
        <translation>اجرای پیمایشی که در زبانهٔ «پیمایش پارامتر» تنظیم شده</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>باز کردن…</translation>
    </message>
    <message>
        <source>Open a saved workspace</source>
        <translation>باز کردن یک فضای کاری ذخیره‌شده</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>ذخیره…</translation>
    </message>
    <message>
        <source>Save source, baseline, candidate and results as a workspace</source>
        <translation>ذخیرهٔ منبع، خط پایه، سیاست پیشنهادی و نتایج به‌عنوان فضای کاری</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>صدور</translation>
    </message>
    <message>
        <source>Report as HTML…</source>
        <translation>گزارش به‌صورت HTML…</translation>
    </message>
    <message>
        <source>Report as PDF…</source>
        <translation>گزارش به‌صورت PDF…</translation>
    </message>
    <message>
        <source>Affected identifiers as CSV…</source>
        <translation>شناسه‌های متأثر به‌صورت CSV…</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>ترافیک</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>خط پایه</translation>
    </message>
    <message>
        <source>Candidate against baseline</source>
        <translation>سیاست پیشنهادی در برابر خط پایه</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>بودجه</translation>
    </message>
    <message>
        <source>Fail if … e.g. paid_denied_pct &gt; 0.5 or newly_denied.total &gt; 100</source>
        <translation>شکست اگر … مثلاً paid_denied_pct &gt; 0.5 یا newly_denied.total &gt; 100</translation>
    </message>
    <message>
        <source>A condition on the report&apos;s numbers (as quotactl simulate --fail-if takes it); each run says whether the candidate keeps it</source>
        <translation>شرطی روی اعداد گزارش (به همان شکلی که quotactl simulate --fail-if می‌پذیرد)؛ هر اجرا می‌گوید آیا سیاست پیشنهادی آن را رعایت می‌کند</translation>
    </message>
    <message>
        <source>Candidate policy</source>
        <translation>سیاست پیشنهادی</translation>
    </message>
    <message>
        <source>Reading the baseline…</source>
        <translation>در حال خواندن خط پایه…</translation>
    </message>
    <message>
        <source>No baseline to compare with.</source>
        <translation>خط پایه‌ای برای مقایسه وجود ندارد.</translation>
    </message>
    <message>
        <source>The candidate is not a valid policy yet.</source>
        <translation>سیاست پیشنهادی هنوز معتبر نیست.</translation>
    </message>
    <message>
        <source>The candidate decides every request as %1 does.</source>
        <translation>سیاست پیشنهادی هر درخواست را همان‌گونه تصمیم می‌گیرد که %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) from %1:</source>
        <translation>
            <numerusform>%n تغییر نسبت به %1:</numerusform>
        </translation>
    </message>
    <message>
        <source>A run is in progress.</source>
        <translation>یک اجرا در جریان است.</translation>
    </message>
    <message>
        <source>The candidate is not a valid policy: %1</source>
        <translation>سیاست پیشنهادی معتبر نیست: %1</translation>
    </message>
    <message>
        <source>The baseline is still being read.</source>
        <translation>خط پایه هنوز در حال خواندن است.</translation>
    </message>
    <message>
        <source>The baseline cannot be used: %1</source>
        <translation>خط پایه قابل استفاده نیست: %1</translation>
    </message>
    <message>
        <source>Choose a baseline.</source>
        <translation>یک خط پایه انتخاب کنید.</translation>
    </message>
    <message>
        <source>The budget is not a condition: %1</source>
        <translation>بودجه یک شرط نیست: %1</translation>
    </message>
    <message>
        <source>Decide the traffic under the baseline and the candidate and compare (Ctrl+R)</source>
        <translation>تصمیم‌گیری ترافیک با خط پایه و سیاست پیشنهادی و مقایسهٔ آن‌ها (Ctrl+R)</translation>
    </message>
    <message>
        <source>Connect to a quota database to roll out.</source>
        <translation>برای اعمال، به یک پایگاه دادهٔ سهمیه متصل شوید.</translation>
    </message>
    <message>
        <source>No budget: runs only report.</source>
        <translation>بدون بودجه: اجراها فقط گزارش می‌دهند.</translation>
    </message>
    <message>
        <source>A run breaks the budget when %1 (reads %2).</source>
        <translation>یک اجرا بودجه را می‌شکند اگر %1 (می‌خواند %2).</translation>
    </message>
    <message>
        <source>column %1: %2</source>
        <translation>ستون %1: %2</translation>
    </message>
    <message>
        <source>Set the parameter and range to sweep.</source>
        <translation>پارامتر و محدودهٔ پیمایش را تنظیم کنید.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>در حال آغاز…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>در حال لغو…</translation>
    </message>
    <message>
        <source>, %1 requests/s</source>
        <translation>، %1 درخواست در ثانیه</translation>
    </message>
    <message>
        <source>Reading the traffic: %1 requests%2</source>
        <translation>در حال خواندن ترافیک: %1 درخواست%2</translation>
    </message>
    <message>
        <source>Reading the traffic…</source>
        <translation>در حال خواندن ترافیک…</translation>
    </message>
    <message>
        <source>Deciding %1 of %2 requests under both policies%3</source>
        <translation>تصمیم‌گیری %1 از %2 درخواست با هر دو سیاست%3</translation>
    </message>
    <message>
        <source>Sweeping: %1 of %2 decisions%3</source>
        <translation>پیمایش: %1 از %2 تصمیم%3</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was changed.</source>
        <translation>لغو شد. چیزی تغییر نکرد.</translation>
    </message>
    <message numerus="yes">
        <source>Sweep of %1: %n run(s) in %2.</source>
        <translation>
            <numerusform>پیمایش %1: %n اجرا در %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Done: %1 newly denied, %2 newly admitted, %3 paid newly denied.</source>
        <translation>انجام شد: %1 تازه ردشده، %2 تازه پذیرفته، %3 پولیِ تازه ردشده.</translation>
    </message>
    <message>
        <source>The candidate has no %1 any more.</source>
        <translation>سیاست پیشنهادی دیگر %1 ندارد.</translation>
    </message>
    <message>
        <source>The candidate&apos;s %1 is now %2.</source>
        <translation>%1 سیاست پیشنهادی اکنون %2 است.</translation>
    </message>
    <message>
        <source>The candidate is now a copy of version %1.</source>
        <translation>سیاست پیشنهادی اکنون رونوشتی از نسخهٔ %1 است.</translation>
    </message>
    <message>
        <source>Make the candidate the active policy of &lt;b&gt;%1&lt;/b&gt; (%2). Live enforcement (quota_check) uses it from the next request.</source>
        <translation>سیاست پیشنهادی، سیاست فعال &lt;b&gt;%1&lt;/b&gt; (%2) شود. اعمال زنده (quota_check) از درخواست بعدی آن را به کار می‌برد.</translation>
    </message>
    <message>
        <source>Active now: version %1.</source>
        <translation>اکنون فعال: نسخهٔ %1.</translation>
    </message>
    <message>
        <source>No version is active now.</source>
        <translation>اکنون هیچ نسخه‌ای فعال نیست.</translation>
    </message>
    <message>
        <source>The candidate has not been simulated.</source>
        <translation>سیاست پیشنهادی شبیه‌سازی نشده است.</translation>
    </message>
    <message>
        <source>The candidate (or the baseline or traffic) changed after the last simulation.</source>
        <translation>سیاست پیشنهادی (یا خط پایه یا ترافیک) پس از آخرین شبیه‌سازی تغییر کرده است.</translation>
    </message>
    <message>
        <source>The last simulation broke the budget: %1 (%2).</source>
        <translation>آخرین شبیه‌سازی بودجه را شکست: %1 (%2).</translation>
    </message>
    <message>
        <source>The last simulation newly denied %1 requests of paying customers.</source>
        <translation>آخرین شبیه‌سازی %1 درخواست مشتریان پولی را تازه رد کرد.</translation>
    </message>
    <message>
        <source>Roll out the candidate</source>
        <translation>اعمال سیاست پیشنهادی</translation>
    </message>
    <message>
        <source>Roll out</source>
        <translation>اعمال</translation>
    </message>
    <message>
        <source>Version %1 cannot be activated: %2</source>
        <translation>نسخهٔ %1 را نمی‌توان فعال کرد: %2</translation>
    </message>
    <message>
        <source>Make version %1 the active policy of &lt;b&gt;%2&lt;/b&gt; (%3) again. Live enforcement uses it from the next request.</source>
        <translation>نسخهٔ %1 دوباره سیاست فعال &lt;b&gt;%2&lt;/b&gt; (%3) شود. اعمال زنده از درخواست بعدی آن را به کار می‌برد.</translation>
    </message>
    <message>
        <source>Roll back to version %1</source>
        <translation>بازگشت به نسخهٔ %1</translation>
    </message>
    <message>
        <source>Activate version %1</source>
        <translation>فعال‌سازی نسخهٔ %1</translation>
    </message>
    <message>
        <source>Rolling out…</source>
        <translation>در حال اعمال…</translation>
    </message>
    <message>
        <source>Activating version %1…</source>
        <translation>در حال فعال‌سازی نسخهٔ %1…</translation>
    </message>
    <message>
        <source>%1 Try again: the database applies it only once.</source>
        <translation>%1 دوباره تلاش کنید: پایگاه داده آن را فقط یک بار اعمال می‌کند.</translation>
    </message>
    <message>
        <source>Version %1 is now the active policy (audit entry %2). Live enforcement uses it from the next request.</source>
        <translation>نسخهٔ %1 اکنون سیاست فعال است (ورودی ممیزی %2). اعمال زنده از درخواست بعدی آن را به کار می‌برد.</translation>
    </message>
    <message>
        <source>Version %1 is active again (audit entry %2). Live enforcement uses it from the next request.</source>
        <translation>نسخهٔ %1 دوباره فعال است (ورودی ممیزی %2). اعمال زنده از درخواست بعدی آن را به کار می‌برد.</translation>
    </message>
    <message>
        <source>Saved the workspace %1.</source>
        <translation>فضای کاری %1 ذخیره شد.</translation>
    </message>
    <message>
        <source>Wait for the run to end (or cancel it) before opening a workspace.</source>
        <translation>پیش از باز کردن فضای کاری، صبر کنید اجرا پایان یابد (یا آن را لغو کنید).</translation>
    </message>
    <message>
        <source>%1 cannot be opened: %2</source>
        <translation>باز کردن %1 ممکن نیست: %2</translation>
    </message>
    <message>
        <source>It replays request_logs: connect to a quota database to run it.</source>
        <translation>این request_logs را بازپخش می‌کند: برای اجرای آن به یک پایگاه دادهٔ سهمیه متصل شوید.</translation>
    </message>
    <message>
        <source>It was made on %1; it runs on %2, the connected database.</source>
        <translation>روی %1 ساخته شده؛ روی %2، پایگاه دادهٔ متصل، اجرا می‌شود.</translation>
    </message>
    <message>
        <source>Its results cannot be shown: %1</source>
        <translation>نتایج آن را نمی‌توان نشان داد: %1</translation>
    </message>
    <message>
        <source>Its sweep cannot be shown: %1</source>
        <translation>پیمایش آن را نمی‌توان نشان داد: %1</translation>
    </message>
    <message>
        <source>Opened the workspace %1.</source>
        <translation>فضای کاری %1 باز شد.</translation>
    </message>
    <message>
        <source>Save workspace</source>
        <translation>ذخیرهٔ فضای کاری</translation>
    </message>
    <message>
        <source>Workspaces (*.json);;All files (*)</source>
        <translation>فضاهای کاری (*.json);;همهٔ فایل‌ها (*)</translation>
    </message>
    <message>
        <source>Open workspace</source>
        <translation>باز کردن فضای کاری</translation>
    </message>
    <message>
        <source>Policy simulation</source>
        <translation>شبیه‌سازی سیاست</translation>
    </message>
    <message>
        <source>Policy simulation: %1 against %2</source>
        <translation>شبیه‌سازی سیاست: %1 در برابر %2</translation>
    </message>
    <message>
        <source>There are no results to export yet: run the simulation first.</source>
        <translation>هنوز نتیجه‌ای برای صدور نیست: ابتدا شبیه‌سازی را اجرا کنید.</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>در حال نوشتن %1…</translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation>%1 نوشته شد.</translation>
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
        <translation>تغییرات نسبت به سیاست مبنا</translation>
    </message>
</context>
<context>
    <name>qc::ui::SimulationCharts</name>
    <message>
        <source>Denials per %1</source>
        <translation>ردها در هر %1</translation>
    </message>
    <message>
        <source>minute</source>
        <translation>دقیقه</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>ساعت</translation>
    </message>
    <message>
        <source>requests (right axis)</source>
        <translation>درخواست‌ها (محور راست)</translation>
    </message>
    <message>
        <source>baseline denied</source>
        <translation>ردشده با خط پایه</translation>
    </message>
    <message>
        <source>candidate denied</source>
        <translation>ردشده با سیاست پیشنهادی</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>ردشده</translation>
    </message>
    <message>
        <source>requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>دقیقه</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>ثانیه</translation>
    </message>
    <message>
        <source>dollars</source>
        <translation>دلار</translation>
    </message>
    <message>
        <source>Sweep of %1</source>
        <translation>پیمایش %1</translation>
    </message>
    <message>
        <source>legitimate denied %</source>
        <translation>مشروعِ ردشده ٪</translation>
    </message>
    <message>
        <source>abusive admitted %</source>
        <translation>سوءاستفاده‌گرِ پذیرفته ٪</translation>
    </message>
    <message>
        <source>cost admitted $ (right axis)</source>
        <translation>هزینهٔ پذیرفته $ (محور راست)</translation>
    </message>
    <message>
        <source>baseline (dashed)</source>
        <translation>خط پایه (خط‌چین)</translation>
    </message>
    <message>
        <source>share of requests</source>
        <translation>سهم درخواست‌ها</translation>
    </message>
    <message>
        <source>cost admitted</source>
        <translation>هزینهٔ پذیرفته</translation>
    </message>
</context>
<context>
    <name>qc::ui::SimulationResultsWidget</name>
    <message>
        <source>Reason</source>
        <translation>دلیل</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>قاعده</translation>
    </message>
    <message>
        <source>Plan tier</source>
        <translation>ردهٔ طرح</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>Newly denied</source>
        <translation>تازه ردشده</translation>
    </message>
    <message>
        <source>Newly admitted</source>
        <translation>تازه پذیرفته</translation>
    </message>
    <message>
        <source>Filter identifiers…</source>
        <translation>پالایش شناسه‌ها…</translation>
    </message>
    <message>
        <source>Investigate</source>
        <translation>بررسی</translation>
    </message>
    <message>
        <source>Open the selected identifier on the Investigate page, over the simulated time range</source>
        <translation>باز کردن شناسهٔ انتخاب‌شده در صفحهٔ «بررسی»، در بازهٔ زمانی شبیه‌سازی‌شده</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>شناسه‌ها</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>هشدارها</translation>
    </message>
    <message>
        <source>Double-click a request to investigate its client</source>
        <translation>برای بررسی کلاینت یک درخواست روی آن دوبار کلیک کنید</translation>
    </message>
    <message>
        <source>Fidelity</source>
        <translation>وفاداری</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>یادداشت‌ها</translation>
    </message>
    <message>
        <source>By reason</source>
        <translation>به تفکیک دلیل</translation>
    </message>
    <message>
        <source>By rule</source>
        <translation>به تفکیک قاعده</translation>
    </message>
    <message>
        <source>By plan tier</source>
        <translation>به تفکیک ردهٔ طرح</translation>
    </message>
    <message>
        <source>By endpoint</source>
        <translation>به تفکیک نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>No results yet. Set up the traffic, baseline and candidate, then Run.</source>
        <translation>هنوز نتیجه‌ای نیست. ترافیک، خط پایه و سیاست پیشنهادی را تنظیم کنید، سپس «اجرا».</translation>
    </message>
    <message>
        <source>The candidate, the baseline or the traffic changed after this run: run again to see their effect.</source>
        <translation>سیاست پیشنهادی، خط پایه یا ترافیک پس از این اجرا تغییر کرده است: برای دیدن اثرشان دوباره اجرا کنید.</translation>
    </message>
    <message>
        <source>(no rule)</source>
        <translation>(بدون قاعده)</translation>
    </message>
    <message>
        <source>Newly denied (%1)</source>
        <translation>تازه ردشده (%1)</translation>
    </message>
    <message>
        <source>Newly admitted (%1)</source>
        <translation>تازه پذیرفته (%1)</translation>
    </message>
    <message>
        <source>Alerts (%1)</source>
        <translation>هشدارها (%1)</translation>
    </message>
    <message>
        <source>%1 requests from %2 to %3</source>
        <translation>%1 درخواست از %2 تا %3</translation>
    </message>
    <message>
        <source> (after a warm-up of %1 requests)</source>
        <translation> (پس از گرم‌کردنی با %1 درخواست)</translation>
    </message>
    <message>
        <source>Baseline: %1.</source>
        <translation>خط پایه: %1.</translation>
    </message>
    <message>
        <source>The candidate decides as the baseline does.</source>
        <translation>سیاست پیشنهادی مانند خط پایه تصمیم می‌گیرد.</translation>
    </message>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n مورد دیگر</numerusform>
        </translation>
    </message>
    <message>
        <source>The candidate changes %1.</source>
        <translation>سیاست پیشنهادی %1 را تغییر می‌دهد.</translation>
    </message>
    <message>
        <source>Traffic: %1.</source>
        <translation>ترافیک: %1.</translation>
    </message>
    <message>
        <source>Results saved with the workspace, run %1.</source>
        <translation>نتایج ذخیره‌شده با فضای کاری، اجرای %1.</translation>
    </message>
    <message>
        <source>Decided in %1 (%2 requests/s per policy).</source>
        <translation>تصمیم‌گیری در %1 (%2 درخواست در ثانیه برای هر سیاست).</translation>
    </message>
    <message>
        <source>Budget broken: %1</source>
        <translation>بودجه شکسته شد: %1</translation>
    </message>
    <message>
        <source>Budget kept: not %1</source>
        <translation type="vanished">بودجه رعایت شد: نه %1</translation>
    </message>
    <message>
        <source>Paying customers affected: %1 of their requests (%2 of paid traffic) would be newly denied.</source>
        <translation>مشتریان پولی متأثر می‌شوند: %1 از درخواست‌هایشان (%2 از ترافیک پولی) تازه رد می‌شد.</translation>
    </message>
    <message>
        <source>No request of a paying customer would be newly denied (%1 paid requests).</source>
        <translation>هیچ درخواستی از مشتریان پولی تازه رد نمی‌شد (%1 درخواست پولی).</translation>
    </message>
    <message>
        <source>Newly denied: &lt;b&gt;%1&lt;/b&gt;; newly admitted: &lt;b&gt;%2&lt;/b&gt;.</source>
        <translation>تازه ردشده: &lt;b&gt;%1&lt;/b&gt;؛ تازه پذیرفته: &lt;b&gt;%2&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>Cost admitted %1 → %2: &lt;b&gt;%3 %4&lt;/b&gt;.</source>
        <translation>هزینهٔ پذیرفته %1 ← %2: &lt;b&gt;%3 %4&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>more spent</source>
        <translation>هزینهٔ بیشتر</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>صرفه‌جویی</translation>
    </message>
    <message>
        <source>Alerts that would fire only under the candidate: %1.</source>
        <translation>هشدارهایی که فقط با سیاست پیشنهادی ایجاد می‌شدند: %1.</translation>
    </message>
    <message>
        <source>Fidelity: the baseline agrees with %1 of the decisions made live.</source>
        <translation>وفاداری: خط پایه با %1 از تصمیم‌های زنده هم‌خوان است.</translation>
    </message>
    <message>
        <source>The baseline agrees with &lt;b&gt;%1&lt;/b&gt; of the %2 decisions recorded live (%3 disagree).</source>
        <translation>خط پایه با &lt;b&gt;%1&lt;/b&gt; از %2 تصمیم ثبت‌شدهٔ زنده هم‌خوان است (%3 ناهم‌خوان).</translation>
    </message>
    <message>
        <source>The first %1 are listed.</source>
        <translation>%1 مورد نخست فهرست شده‌اند.</translation>
    </message>
    <message>
        <source>The simulation reproduces live enforcement exactly.</source>
        <translation>شبیه‌سازی اعمال زنده را دقیقاً بازتولید می‌کند.</translation>
    </message>
    <message>
        <source>This traffic carries no recorded decisions: replay the database&apos;s request_logs to measure fidelity.</source>
        <translation>این ترافیک هیچ تصمیم ثبت‌شده‌ای ندارد: برای سنجش وفاداری، request_logs پایگاه داده را بازپخش کنید.</translation>
    </message>
    <message>
        <source>%1 bad rows of the trace were skipped.</source>
        <translation>%1 سطر نادرست ردگیری نادیده گرفته شد.</translation>
    </message>
    <message>
        <source>Read %1 requests, %2 blocks, %3 unblocks and %4 plan changes in %5 (waiting for the server %6, decoding %7).</source>
        <translation>%1 درخواست، %2 مسدودسازی، %3 رفع مسدودیت و %4 تغییر طرح در %5 خوانده شد (انتظار برای سرور %6، رمزگشایی %7).</translation>
    </message>
    <message>
        <source>The traffic read for the previous run was used again.</source>
        <translation>ترافیک خوانده‌شده برای اجرای قبلی دوباره به کار رفت.</translation>
    </message>
    <message>
        <source>Read %1 requests in %2.</source>
        <translation>%1 درخواست در %2 خوانده شد.</translation>
    </message>
    <message>
        <source>Nothing to note.</source>
        <translation>نکته‌ای نیست.</translation>
    </message>
    <message>
        <source>Notes (%1)</source>
        <translation>یادداشت‌ها (%1)</translation>
    </message>
    <message>
        <source>Within budget: %1 is false</source>
        <translation>در محدودهٔ بودجه: %1 برقرار نیست</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>جمع‌ها</translation>
    </message>
    <message>
        <source>Affected identifiers</source>
        <translation>شناسه‌های متأثر</translation>
    </message>
    <message>
        <source>Filter identifiers</source>
        <translation>پالایش شناسه‌ها</translation>
    </message>
    <message>
        <source>Alerts that would fire</source>
        <translation>هشدارهایی که فعال می‌شدند</translation>
    </message>
    <message>
        <source>Disagreeing requests</source>
        <translation>درخواست‌های ناهمخوان</translation>
    </message>
</context>
<context>
    <name>qc::ui::SimulationSourceWidget</name>
    <message>
        <source>Database request_logs</source>
        <translation>request_logs پایگاه داده</translation>
    </message>
    <message>
        <source>Trace file</source>
        <translation>فایل ردگیری</translation>
    </message>
    <message>
        <source>Generated scenario</source>
        <translation>سناریوی تولیدشده</translation>
    </message>
    <message>
        <source>Replay what the API received, with the blocks and plans in force at each request, and compare the baseline with what was decided live (fidelity)</source>
        <translation>بازپخش آنچه API دریافت کرد، با مسدودسازی‌ها و طرح‌های برقرار در زمان هر درخواست، و مقایسهٔ خط پایه با تصمیم‌های زنده (وفاداری)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>از</translation>
    </message>
    <message>
        <source>To</source>
        <translation>تا</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>ساعت گذشته</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>روز گذشته</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>۷ روز گذشته</translation>
    </message>
    <message>
        <source>trace.csv or trace.jsonl (the columns of request_logs)</source>
        <translation>trace.csv یا trace.jsonl (ستون‌های request_logs)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>مرور…</translation>
    </message>
    <message>
        <source>Trace to replay</source>
        <translation>ردگیری برای بازپخش</translation>
    </message>
    <message>
        <source>Traces (*.csv *.jsonl *.ndjson);;All files (*)</source>
        <translation>ردگیری‌ها (*.csv *.jsonl *.ndjson);;همهٔ فایل‌ها (*)</translation>
    </message>
    <message>
        <source> req/s</source>
        <translation> درخواست/ثانیه</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>آغاز</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>طول</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>کاربران</translation>
    </message>
    <message>
        <source>IPs</source>
        <translation>IPها</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>نرخ</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>بذر تصادفی</translation>
    </message>
    <message>
        <source>Decided first to fill counters and blocks, not reported (e.g. 1h); from the database it is read before From</source>
        <translation>ابتدا برای پر کردن شمارنده‌ها و مسدودسازی‌ها تصمیم‌گیری می‌شود و گزارش نمی‌شود (مثلاً 1h)؛ از پایگاه داده پیش از «از» خوانده می‌شود</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>گرم‌کردن</translation>
    </message>
    <message>
        <source>Requests logged on %1, replayed with the blocks and plans of their time.</source>
        <translation>درخواست‌های ثبت‌شده در %1، بازپخش‌شده با مسدودسازی‌ها و طرح‌های زمان خودشان.</translation>
    </message>
    <message>
        <source>Connect to a quota database to replay its request_logs.</source>
        <translation>برای بازپخش request_logs یک پایگاه دادهٔ سهمیه، به آن متصل شوید.</translation>
    </message>
    <message>
        <source>Warm-up &apos;%1&apos; is not a duration; use e.g. 30m, 1h.</source>
        <translation>گرم‌کردن «%1» یک مدت زمان نیست؛ مثلاً 30m یا 1h به کار ببرید.</translation>
    </message>
    <message>
        <source>The range is empty: To must be after From.</source>
        <translation>بازه خالی است: «تا» باید پس از «از» باشد.</translation>
    </message>
    <message>
        <source>Choose a trace file (CSV or JSONL).</source>
        <translation>یک فایل ردگیری (CSV یا JSONL) انتخاب کنید.</translation>
    </message>
    <message>
        <source>There is no file %1.</source>
        <translation>فایل %1 وجود ندارد.</translation>
    </message>
    <message>
        <source>Length &apos;%1&apos; is not a duration; use e.g. 1h, 1d.</source>
        <translation>طول «%1» یک مدت زمان نیست؛ مثلاً 1h یا 1d به کار ببرید.</translation>
    </message>
    <message>
        <source>Pick at least one scenario.</source>
        <translation>دست‌کم یک سناریو انتخاب کنید.</translation>
    </message>
</context>
<context>
    <name>qc::ui::StartPage</name>
    <message>
        <source>Connect…</source>
        <translation>اتصال…</translation>
    </message>
    <message>
        <source>New connection profile…</source>
        <translation>نمایهٔ اتصال جدید…</translation>
    </message>
    <message>
        <source>&lt;h1&gt;Quota Console&lt;/h1&gt;</source>
        <translation>&lt;h1&gt;کنسول سهمیه&lt;/h1&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Watch, investigate and steer the rate limits, plan quotas, idempotency keys and abuse detection of your API.&lt;/p&gt;&lt;p&gt;Connect to a quota database with a connection profile (File → Connect). A profile names the database, optionally a read-only replica, the services&apos; metrics endpoints and Prometheus; its passwords stay in the system keychain.&lt;/p&gt;&lt;p&gt;Without a database, &lt;tt&gt;quotactl simulate&lt;/tt&gt; replays recorded traffic through a candidate policy with the same enforcement core the database uses.&lt;/p&gt;</source>
        <translation>&lt;p&gt;محدودیت‌های نرخ، سهمیه‌های طرح‌ها، کلیدهای ایدمپوتنسی و تشخیص سوءاستفادهٔ API خود را پایش، بررسی و هدایت کنید.&lt;/p&gt;&lt;p&gt;با یک نمایهٔ اتصال به پایگاه دادهٔ سهمیه وصل شوید (پرونده ← اتصال). نمایه، پایگاه داده، به‌اختیار یک نسخهٔ فقط‌خواندنی، نقاط پایانی سنجهٔ سرویس‌ها و Prometheus را مشخص می‌کند؛ گذرواژه‌هایش در جاکلیدی سیستم می‌مانند.&lt;/p&gt;&lt;p&gt;بدون پایگاه داده، &lt;tt&gt;quotactl simulate&lt;/tt&gt; ترافیک ضبط‌شده را با همان هستهٔ اعمالی که پایگاه داده به کار می‌برد از میان یک سیاست پیشنهادی بازپخش می‌کند.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>qc::ui::SweepWidget</name>
    <message>
        <source>Run sweep</source>
        <translation>اجرای پیمایش</translation>
    </message>
    <message>
        <source>Use this value in the candidate</source>
        <translation>این مقدار در سیاست پیشنهادی به کار رود</translation>
    </message>
    <message>
        <source>Set the swept parameter of the candidate to the selected value</source>
        <translation>تنظیم پارامتر پیمایش‌شدهٔ سیاست پیشنهادی روی مقدار انتخاب‌شده</translation>
    </message>
    <message>
        <source>Vary</source>
        <translation>تغییر</translation>
    </message>
    <message>
        <source>from</source>
        <translation>از</translation>
    </message>
    <message>
        <source>to</source>
        <translation>تا</translation>
    </message>
    <message>
        <source>step</source>
        <translation>گام</translation>
    </message>
    <message>
        <source>Legitimate: clients and users that raised no abuse incident under the baseline; abusive: those that did (docs/simulation.md).</source>
        <translation>مشروع: کلاینت‌ها و کاربرانی که با خط پایه هیچ رخداد سوءاستفاده‌ای ایجاد نکردند؛ سوءاستفاده‌گر: آن‌هایی که ایجاد کردند (docs/simulation.md).</translation>
    </message>
    <message>
        <source>The candidate is not a valid policy; fix it first.</source>
        <translation>سیاست پیشنهادی معتبر نیست؛ ابتدا آن را اصلاح کنید.</translation>
    </message>
    <message>
        <source>The candidate has no number to sweep.</source>
        <translation>سیاست پیشنهادی عددی برای پیمایش ندارد.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) on %1 core(s)</source>
        <translation>
            <numerusform>%n اجرا روی %1 هسته</numerusform>
        </translation>
    </message>
    <message>
        <source>invalid range</source>
        <translation>محدودهٔ نامعتبر</translation>
    </message>
    <message>
        <source>From</source>
        <translation>از</translation>
    </message>
    <message>
        <source>To</source>
        <translation>تا</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>گام</translation>
    </message>
    <message>
        <source>Sweep points</source>
        <translation>نقاط پیمایش</translation>
    </message>
</context>
<context>
    <name>qc::ui::TimeRangeSelector</name>
    <message>
        <source>Last 15 minutes</source>
        <translation>۱۵ دقیقهٔ گذشته</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>ساعت گذشته</translation>
    </message>
    <message>
        <source>Last 6 hours</source>
        <translation>۶ ساعت گذشته</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>۲۴ ساعت گذشته</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>۷ روز گذشته</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>۳۰ روز گذشته</translation>
    </message>
    <message>
        <source>From … to …</source>
        <translation>از … تا …</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>From</source>
        <translation>از</translation>
    </message>
    <message>
        <source>To</source>
        <translation>تا</translation>
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
        <translation>آستانهٔ هشدار</translation>
    </message>
    <message>
        <source>alert %1 (%2) fired at %3</source>
        <translation>هشدار %1 (%2) در %3 ایجاد شد</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>هنوز داده‌ای نیست</translation>
    </message>
    <message>
        <source>Nothing in this range</source>
        <translation>چیزی در این بازه نیست</translation>
    </message>
    <message>
        <source>Time series chart</source>
        <translation>نمودار سری زمانی</translation>
    </message>
</context>
<context>
    <name>qc::ui::TopListView</name>
    <message>
        <source>Investigate</source>
        <translation>بررسی</translation>
    </message>
    <message>
        <source>Filter by %1…</source>
        <translation>پالایش بر اساس %1…</translation>
    </message>
    <message>
        <source>Look into the selected row&apos;s requests, blocks and collisions</source>
        <translation>بررسی درخواست‌ها، مسدودسازی‌ها و برخوردهای سطر انتخاب‌شده</translation>
    </message>
</context>
<context>
    <name>qc::workbench::AffectedIdentifierModel</name>
    <message>
        <source>user</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <source>client</source>
        <translation>کلاینت</translation>
    </message>
    <message>
        <source>Requests without a valid client address</source>
        <translation>درخواست‌های بدون نشانی معتبر کلاینت</translation>
    </message>
    <message>
        <source>Double-click to investigate %1</source>
        <translation>برای بررسی %1 دوبار کلیک کنید</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>نوع</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>شناسه</translation>
    </message>
    <message>
        <source>Newly denied</source>
        <translation>تازه ردشده</translation>
    </message>
    <message>
        <source>Newly admitted</source>
        <translation>تازه پذیرفته</translation>
    </message>
</context>
<context>
    <name>qc::workbench::AlertFiringModel</name>
    <message>
        <source>baseline</source>
        <translation>خط پایه</translation>
    </message>
    <message>
        <source>candidate (new)</source>
        <translation>سیاست پیشنهادی (جدید)</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>سیاست پیشنهادی</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>هشدار</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>سیاست</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>شرط</translation>
    </message>
    <message>
        <source>First firing</source>
        <translation>نخستین ایجاد</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>دقیقه</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>اوج</translation>
    </message>
</context>
<context>
    <name>qc::workbench::DisagreementModel</name>
    <message>
        <source>allowed</source>
        <translation>پذیرفته</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>ردشده</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>سطر</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>زمان</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>درخواست</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>کلاینت</translation>
    </message>
    <message>
        <source>User</source>
        <translation>کاربر</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>نقطهٔ پایانی</translation>
    </message>
    <message>
        <source>Recorded live</source>
        <translation>ثبت‌شدهٔ زنده</translation>
    </message>
    <message>
        <source>Baseline decided</source>
        <translation>تصمیم خط پایه</translation>
    </message>
</context>
<context>
    <name>qc::workbench::NamedCountModel</name>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>سهم</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyAbuseModel</name>
    <message>
        <source>Pattern</source>
        <translation>الگو</translation>
    </message>
    <message>
        <source>Unique id</source>
        <translation>شناسهٔ یکتا</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>نام</translation>
    </message>
    <message>
        <source>(the id)</source>
        <translation>(شناسه)</translation>
    </message>
    <message>
        <source>Shown in incidents and alerts</source>
        <translation>در رخدادها و هشدارها نشان داده می‌شود</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>نوع</translation>
    </message>
    <message>
        <source>rate: requests per window; cost: dollars per window; user_agent and country: matching requests</source>
        <translation>rate: درخواست در هر پنجره؛ cost: دلار در هر پنجره؛ user_agent و country: درخواست‌های مطابق</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>دامنه</translation>
    </message>
    <message>
        <source>Watched per client IP or per user</source>
        <translation>به ازای هر IP کلاینت یا هر کاربر پایش می‌شود</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>پنجره</translation>
    </message>
    <message>
        <source>Trailing window, at most 31d</source>
        <translation>پنجرهٔ پسین، حداکثر 31d</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>آستانه</translation>
    </message>
    <message>
        <source>More requests than this in the window raise an incident</source>
        <translation>درخواست‌های بیش از این در پنجره، رخداد ایجاد می‌کنند</translation>
    </message>
    <message>
        <source>Threshold $</source>
        <translation>آستانه $</translation>
    </message>
    <message>
        <source>More cost than this (dollars) in the window raises an incident</source>
        <translation>هزینهٔ بیش از این (دلار) در پنجره، رخداد ایجاد می‌کند</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>نقاط پایانی</translation>
    </message>
    <message>
        <source>all</source>
        <translation>همه</translation>
    </message>
    <message>
        <source>Endpoint globs counted</source>
        <translation>الگوهای نقطهٔ پایانیِ شمرده‌شده</translation>
    </message>
    <message>
        <source>User agents</source>
        <translation>عامل‌های کاربر</translation>
    </message>
    <message>
        <source>Substrings of the user agent (case-insensitive)</source>
        <translation>زیررشته‌های عامل کاربر (بدون حساسیت به بزرگی و کوچکی حروف)</translation>
    </message>
    <message>
        <source>Countries</source>
        <translation>کشورها</translation>
    </message>
    <message>
        <source>ISO country codes</source>
        <translation>کدهای کشور ISO</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>شدت</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>اقدام</translation>
    </message>
    <message>
        <source>block and escalate block the identifier for block_for</source>
        <translation>block و escalate شناسه را به مدت block_for مسدود می‌کنند</translation>
    </message>
    <message>
        <source>Block for</source>
        <translation>مسدود به مدت</translation>
    </message>
    <message>
        <source>How long a block lasts</source>
        <translation>مدت یک مسدودسازی</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyChangeModel</name>
    <message>
        <source>(added)</source>
        <translation>(افزوده‌شده)</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>(حذف‌شده)</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>تغییریافته</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>خط پایه</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>سیاست پیشنهادی</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyDocument</name>
    <message>
        <source>%1 (line %2, column %3): %4</source>
        <translation>%1 (سطر %2، ستون %3): %4</translation>
    </message>
    <message numerus="yes">
        <source>%1 (and %n more problem(s))</source>
        <translation>
            <numerusform>%1 (و %n مشکل دیگر)</numerusform>
        </translation>
    </message>
    <message>
        <source>the policy must be a JSON object</source>
        <translation>سیاست باید یک شیء JSON باشد</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyPlansModel</name>
    <message>
        <source>Plan</source>
        <translation>طرح</translation>
    </message>
    <message>
        <source>Unique plan name</source>
        <translation>نام یکتای طرح</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>رتبه</translation>
    </message>
    <message>
        <source>(position)</source>
        <translation>(جایگاه)</translation>
    </message>
    <message>
        <source>Higher is a bigger plan: moving down is a downgrade (grace applies)</source>
        <translation>بالاتر یعنی طرح بزرگ‌تر: رفتن به پایین کاهش طرح است (مهلت اعمال می‌شود)</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>پولی</translation>
    </message>
    <message>
        <source>Paying customers: the report calls out what a candidate does to them (default: rank &gt; 0)</source>
        <translation>مشتریان پولی: گزارش نشان می‌دهد سیاست پیشنهادی با آن‌ها چه می‌کند (پیش‌فرض: رتبه &gt; 0)</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>نامحدود</translation>
    </message>
    <message>
        <source>Quota of %1 per billing cycle; -1 or empty = unlimited</source>
        <translation>سهمیهٔ %1 در هر چرخهٔ صورت‌حساب؛ ‎-1 یا خالی = نامحدود</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyRollout</name>
    <message>
        <source>The database refused: %1. Rolling out a policy needs the quota_admin role.</source>
        <translation>پایگاه داده نپذیرفت: %1. اعمال سیاست به نقش quota_admin نیاز دارد.</translation>
    </message>
    <message>
        <source>The database gave no reason.</source>
        <translation>پایگاه داده دلیلی اعلام نکرد.</translation>
    </message>
    <message>
        <source>Not activated: %1. Another admin changed the active policy since you looked; review the versions list and try again.</source>
        <translation>فعال نشد: %1. مدیر دیگری از زمانی که شما نگاه کردید سیاست فعال را تغییر داده است؛ فهرست نسخه‌ها را مرور کنید و دوباره تلاش کنید.</translation>
    </message>
    <message>
        <source>The candidate is not a JSON object: %1</source>
        <translation>سیاست پیشنهادی یک شیء JSON نیست: %1</translation>
    </message>
    <message>
        <source>The new version was not created: %1</source>
        <translation>نسخهٔ جدید ساخته نشد: %1</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyRulesModel</name>
    <message>
        <source>Rule</source>
        <translation>قاعده</translation>
    </message>
    <message>
        <source>Unique id: letters, digits, _ . -</source>
        <translation>شناسهٔ یکتا: حروف، ارقام، _ . -</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>دامنه</translation>
    </message>
    <message>
        <source>What one counter counts: per client IP, per user, per user and endpoint, per IP and endpoint, or all traffic</source>
        <translation>آنچه یک شمارنده می‌شمارد: به ازای IP کلاینت، کاربر، کاربر و نقطهٔ پایانی، IP و نقطهٔ پایانی، یا کل ترافیک</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>الگوریتم</translation>
    </message>
    <message>
        <source>fixed_window and sliding_window count requests per window; token_bucket admits rate per period with bursts</source>
        <translation>fixed_window و sliding_window درخواست‌ها را در هر پنجره می‌شمارند؛ token_bucket به اندازهٔ rate در هر دوره با جهش می‌پذیرد</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>پنجره</translation>
    </message>
    <message>
        <source>Window length, e.g. 1m, 2h, 1d</source>
        <translation>طول پنجره، مثلاً 1m، 2h، 1d</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>حد</translation>
    </message>
    <message>
        <source>Requests admitted per window</source>
        <translation>درخواست‌های پذیرفته در هر پنجره</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>نرخ</translation>
    </message>
    <message>
        <source>Tokens added per period</source>
        <translation>توکن‌های افزوده در هر دوره</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>دوره</translation>
    </message>
    <message>
        <source>Period of the rate, e.g. 1s, 1m</source>
        <translation>دورهٔ نرخ، مثلاً 1s، 1m</translation>
    </message>
    <message>
        <source>Burst</source>
        <translation>جهش</translation>
    </message>
    <message>
        <source>Requests admitted at once after a quiet time</source>
        <translation>درخواست‌هایی که پس از یک دورهٔ آرام یک‌جا پذیرفته می‌شوند</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>نقاط پایانی</translation>
    </message>
    <message>
        <source>all</source>
        <translation>همه</translation>
    </message>
    <message>
        <source>Endpoint globs the rule applies to, e.g. /api/*</source>
        <translation>الگوهای نقطهٔ پایانی که قاعده بر آن‌ها اعمال می‌شود، مثلاً ‎/api/*</translation>
    </message>
    <message>
        <source>Methods</source>
        <translation>روش‌ها</translation>
    </message>
    <message>
        <source>HTTP methods the rule applies to, e.g. POST</source>
        <translation>روش‌های HTTP که قاعده بر آن‌ها اعمال می‌شود، مثلاً POST</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>طرح‌ها</translation>
    </message>
    <message>
        <source>Plans the rule applies to (anonymous requests have none)</source>
        <translation>طرح‌هایی که قاعده بر آن‌ها اعمال می‌شود (درخواست‌های ناشناس طرحی ندارند)</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>حالت</translation>
    </message>
    <message>
        <source>shadow rules are evaluated and counted as would_deny, never deny</source>
        <translation>قاعده‌های سایه ارزیابی و به‌عنوان would_deny شمرده می‌شوند و هرگز رد نمی‌کنند</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyTableModel</name>
    <message>
        <source>yes</source>
        <translation>بله</translation>
    </message>
    <message>
        <source>no</source>
        <translation>خیر</translation>
    </message>
    <message>
        <source>(object)</source>
        <translation>(شیء)</translation>
    </message>
    <message>
        <source>Does not apply to this item.</source>
        <translation>بر این مورد اعمال نمی‌شود.</translation>
    </message>
    <message>
        <source>Not set: %1 applies.</source>
        <translation>تنظیم نشده: %1 اعمال می‌شود.</translation>
    </message>
</context>
<context>
    <name>qc::workbench::PolicyVersionModel</name>
    <message>
        <source>active</source>
        <translation>فعال</translation>
    </message>
    <message>
        <source>was active</source>
        <translation>فعال بود</translation>
    </message>
    <message>
        <source>never activated</source>
        <translation>هرگز فعال نشد</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>نسخه</translation>
    </message>
    <message>
        <source>State</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>چرا</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>ایجادشده توسط</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>ایجاد</translation>
    </message>
    <message>
        <source>Activated by</source>
        <translation>فعال‌شده توسط</translation>
    </message>
    <message>
        <source>Last activated</source>
        <translation>آخرین فعال‌سازی</translation>
    </message>
</context>
<context>
    <name>qc::workbench::ReportFiles</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>نوشتن %1 ممکن نیست: %2</translation>
    </message>
    <message>
        <source>Writing %1 failed: %2</source>
        <translation>نوشتن %1 ناموفق بود: %2</translation>
    </message>
    <message>
        <source>There are no results to export yet: run the simulation first.</source>
        <translation>هنوز نتیجه‌ای برای صدور نیست: ابتدا شبیه‌سازی را اجرا کنید.</translation>
    </message>
    <message>
        <source>Chart %1 of the report could not be drawn.</source>
        <translation>نمودار %1 گزارش رسم نشد.</translation>
    </message>
</context>
<context>
    <name>qc::workbench::SimulationRunner</name>
    <message>
        <source>%1 has no requests to replay.</source>
        <translation>%1 درخواستی برای بازپخش ندارد.</translation>
    </message>
    <message>
        <source>Connect to a quota database to replay its request_logs.</source>
        <translation>برای بازپخش request_logs یک پایگاه دادهٔ سهمیه، به آن متصل شوید.</translation>
    </message>
    <message>
        <source>not enough memory</source>
        <translation>حافظهٔ کافی نیست</translation>
    </message>
    <message>
        <source>an unexpected error</source>
        <translation>یک خطای غیرمنتظره</translation>
    </message>
    <message>
        <source>Reading %1 failed</source>
        <translation>خواندن %1 ناموفق بود</translation>
    </message>
    <message>
        <source>The simulation failed</source>
        <translation>شبیه‌سازی ناموفق بود</translation>
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
        <translation>نرخ</translation>
    </message>
    <message>
        <source>period</source>
        <translation>دوره</translation>
    </message>
    <message>
        <source>burst</source>
        <translation>جهش</translation>
    </message>
    <message>
        <source>limit</source>
        <translation>حد</translation>
    </message>
    <message>
        <source>window</source>
        <translation>پنجره</translation>
    </message>
    <message>
        <source>plan %1</source>
        <translation>طرح %1</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>آستانه</translation>
    </message>
    <message>
        <source>threshold $</source>
        <translation>آستانه $</translation>
    </message>
</context>
<context>
    <name>qc::workbench::SweepPointModel</name>
    <message>
        <source>baseline</source>
        <translation>خط پایه</translation>
    </message>
    <message>
        <source>%1 (candidate)</source>
        <translation>%1 (سیاست پیشنهادی)</translation>
    </message>
    <message>
        <source>Requests of clients and users that raised no abuse incident under the baseline, denied by this value (share of all legitimate requests)</source>
        <translation>درخواست‌های کلاینت‌ها و کاربرانی که با خط پایه رخداد سوءاستفاده نداشتند و با این مقدار رد می‌شوند (سهم از کل درخواست‌های مشروع)</translation>
    </message>
    <message>
        <source>Requests of clients and users that raised an abuse incident under the baseline, admitted by this value</source>
        <translation>درخواست‌های کلاینت‌ها و کاربرانی که با خط پایه رخداد سوءاستفاده داشتند و با این مقدار پذیرفته می‌شوند</translation>
    </message>
    <message>
        <source>Baseline&apos;s cost admitted minus this value&apos;s</source>
        <translation>هزینهٔ پذیرفتهٔ خط پایه منهای هزینهٔ این مقدار</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>مقدار</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>ردشده</translation>
    </message>
    <message>
        <source>Legitimate denied</source>
        <translation>مشروعِ ردشده</translation>
    </message>
    <message>
        <source>Abusive admitted</source>
        <translation>سوءاستفاده‌گرِ پذیرفته</translation>
    </message>
    <message>
        <source>Cost admitted</source>
        <translation>هزینهٔ پذیرفته</translation>
    </message>
    <message>
        <source>Cost saved</source>
        <translation>هزینهٔ صرفه‌جویی‌شده</translation>
    </message>
    <message>
        <source>Newly denied</source>
        <translation>تازه ردشده</translation>
    </message>
    <message>
        <source>Paid newly denied</source>
        <translation>پولیِ تازه ردشده</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>رخدادها</translation>
    </message>
</context>
<context>
    <name>qc::workbench::TotalsModel</name>
    <message>
        <source>Requests</source>
        <translation>درخواست‌ها</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>پذیرفته</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>ردشده</translation>
    </message>
    <message>
        <source>would deny (shadow %1)</source>
        <translation>رد می‌کرد (سایه %1)</translation>
    </message>
    <message>
        <source>Cost admitted</source>
        <translation>هزینهٔ پذیرفته</translation>
    </message>
    <message>
        <source>Idempotency collisions</source>
        <translation>برخوردهای ایدمپوتنسی</translation>
    </message>
    <message>
        <source>Abuse incidents</source>
        <translation>رخدادهای سوءاستفاده</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>خط پایه</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>سیاست پیشنهادی</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>تغییر</translation>
    </message>
</context>
</TS>
