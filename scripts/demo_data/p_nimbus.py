"""Nimbus Mobile demo posts (hand-written)."""
from build import P

# --- Deniz Kaya: Kadıköy outage arc (x, tr) ---
P("N001", "x", "deniz_kaya|Deniz Kaya|312", "13d04h12m", "N", "neg complaint - tr",
  "@NimbusMobile Kadıköy'de 2 gündür mobil data çalışmıyor. 4.5G simgesi var ama hiçbir sayfa açılmıyor. Bir açıklama yapacak mısınız artık?")
P("N002", "x", "deniz_kaya", "12d21h30m", "N", "neg complaint - tr",
  "@NimbusMobile DM attım, 'ekiplerimiz ilgileniyor' dediniz, 14 saat oldu hâlâ aynı. Evden çalışıyorum, hotspot'a muhtacım ya 😩", reply="N001")
P("N003", "x", "deniz_kaya", "11d09h45m", "N", "neg complaint churn tr",
  "4. gün. Faturayı kuruşu kuruşuna ödüyorum ama hizmet sıfır. Ay sonu numaramı Turkcell'e taşıyorum, bir daha asla @NimbusMobile 😤", reply="N002")
P("N004", "x", "deniz_kaya", "10d02h10m", "N", "neg complaint legal,churn tr",
  "@NimbusMobile BTK'ya ve Tüketici Hakem Heyeti'ne başvurumu yaptım. 5 günlük kesintinin ücret iadesini istiyorum. Numara taşıma işlemini de başlattım. #NimbusMobile #kesinti")
P("N005", "x", "deniz_kaya", "7d13h20m", "N", "pos praise - tr",
  "Hakkını vermek lazım: @NimbusMobile bölge ekibinden aradılar, baz istasyonunda donanım arızası varmış, düzeldi. 5 günlük ücreti de iade ettiler. Taşımayı iptal ettim, şimdilik kalıyorum 🙂")

# --- Ellie Marsh: X3 battery arc (x + bluesky) ---
P("N006", "x", "ellie_marsh|Ellie Marsh|1840", "12d15h03m", "N", "neu question - en",
  "hey @NimbusMobile is it normal for the X3 to get pretty warm while charging with the included brick? like, warm warm. it's 3 weeks old")
P("N007", "x", "ellie_marsh", "10d19h40m", "N", "neg complaint safety en",
  "Update: it's not just warm anymore. The back of my Nimbus X3 is visibly bulging and the screen is lifting at one corner. Swollen battery?? It charges on my nightstand every night. @NimbusMobile I need a real answer, not a DM template.", reply="N006")
P("N008", "bluesky", "elliemarsh.bsky.social|Ellie Marsh|960", "10d19h22m", "N", "neg complaint safety en", "", dup="N007")
P("N009", "bluesky", "bramblecat.bsky.social|bramble 🐈|415", "10d17h05m", "N", "neu other - en",
  "oh no 😬 go to a store in person, don't wait on DMs. and take photos of everything first", reply="N008")
P("N010", "x", "ellie_marsh", "6d08h55m", "N", "pos praise - en",
  "Credit where due: the Nimbus store on Market St swapped my X3 on the spot, no arguing, and a manager called today to follow up. New one's been perfect. Thanks @NimbusMobile 🙏")
P("N011", "bluesky", "elliemarsh.bsky.social", "6d08h40m", "N", "pos praise - en",
  "closing the loop on the Nimbus phone saga: they replaced it same day at the store and a manager even called after. the first DM reply was useless, but the fix was great.", reply="N008")

# --- GadgetGrid: tech reviewer (x + bluesky) ---
P("N012", "x", "gadgetgrid|GadgetGrid — Callum Hart|214000", "11d02h00m", "N", "neg complaint safety en",
  "Our Nimbus X3 review unit #2 hit 51°C on the back panel during a standard 30W charge test, and the rear glass has started to lift. Unit #1 is fine. Pausing the review until @NimbusMobile explains. Full thread + thermal shots tomorrow.")
P("N013", "bluesky", "gadgetgrid.bsky.social|GadgetGrid — Callum Hart|38500", "8d17h30m", "N", "neg complaint - en",
  "Great news for Nimbus X3 owners: the 14.2 update adds an exciting new feature called 'No Service' ✨ Three of our test phones lost 5G entirely after updating. Love that for us 🙃")
P("N014", "x", "gadgetgrid", "8d17h10m", "N", "neg complaint - en",
  "PSA: hold off on the Nimbus X3 14.2 update. 3 of our 4 test units dropped to LTE-only or straight 'No Service' after installing, and there's no rollback. @NimbusMobile this needs pulling, not a 'we're aware of reports' tweet.")
P("N015", "x", "bigmike_ok|Mike Okafor|411", "8d15h02m", "N", "neg complaint - en", "", repost="N014")
P("N016", "x", "gadgetgrid", "3d05h20m", "N", "neu suggestion - en",
  "Follow-up: Nimbus sent a statement + two replacement units. Cause was a bad batch of charging ICs from one supplier. New units behave normally in the same test. Review goes up Friday. @NimbusMobile please publish the affected serial range.", reply="N012")

# --- Ayşe Tekin: journalist (x + bluesky) ---
P("N017", "x", "ayse_tekin|Ayşe Tekin|27600", "10d05h00m", "N", "neu other - tr",
  "Nimbus Mobile, İstanbul Anadolu Yakası'nda 4 gündür süren mobil veri kesintisinin bir baz istasyonundaki donanım arızasından kaynaklandığını açıkladı. Şirket, etkilenen abonelere orantılı ücret iadesi yapılacağını bildirdi. #NimbusMobile")
P("N018", "x", "ayse_tekin", "4d03h15m", "N", "neu other - en",
  "Nimbus Mobile confirms a 'limited batch' of X3 handsets shipped with faulty charging components. Affected owners can get free in-store replacements, the company says. No formal recall has been announced. Statement ⬇️")
P("N019", "bluesky", "ayse-tekin.bsky.social|Ayşe Tekin|6100", "4d03h05m", "N", "neu other - en",
  "Nimbus Mobile has confirmed faulty charging components in a limited batch of X3 phones. Free in-store replacements are available; no formal recall so far. I've asked the company how many units are affected and will update this thread.")

# --- Frank Delgado: roaming pass billing arc (x + reddit) ---
P("N020", "x", "fdelgado|Frank Delgado|96", "9d22h40m", "N", "neg complaint privacy,legal en",
  "@NimbusMobile 3 charges of $49.99 for a 'Premium Roaming Pass' I never ordered, never left the state. Acct email frank.delgado@example.com, acct # NM-4471-0000. Fix it today or I'm filing a chargeback with my bank.")
P("N021", "reddit", "fdelgado|Frank Delgado|212", "9d20h15m", "N", "neg complaint - en",
  "Charged 3x for a 'Premium Roaming Pass' - anyone else?\nThree charges of $49.99 on my November bill for a roaming pass. I haven't left Ohio since summer. Chat support says it was 'added via the app'. Best I can figure, I brushed that giant yellow banner on the home screen while scrolling, but three times?? No confirmation screen, no email, nothing. Feels like a dark pattern honestly.",
  sub="NimbusMobile")
P("N022", "reddit", "cheap_data_guy|cheap_data_guy|15", "9d18h50m", "N", "neg complaint - en",
  "Same thing happened to my sister in October. That banner adds the pass if you tap anywhere near it, there's no 'are you sure'. Absolutely a dark pattern.", reply="N021")
P("N023", "reddit", "frugal_fiona", "9d17h02m", "N", "neu other - en",
  "Call and ask for the billing disputes team specifically, not general support. General support can't reverse add-ons, disputes can. Took me one call last time.", reply="N021")
P("N024", "reddit", "fdelgado", "8d04h30m", "N", "pos praise - en",
  "UPDATE: called the billing disputes team like u/frugal_fiona said. All three charges reversed plus a $20 credit, took 15 minutes. Rep said the quick-add banner is 'under review'. Leaving this up in case it helps someone.", reply="N021")
P("N025", "x", "fdelgado", "8d04h00m", "N", "pos suggestion - en",
  "Update: refund came through + a $20 credit. Thanks to whoever on the @NimbusMobile billing disputes team picked up my case. Now please kill that quick-add banner in the app 🙏", reply="N020")

# --- ghost_in_the_sim: SIM-swap arc (reddit) ---
P("N026", "reddit", "ghost_in_the_sim|ghost_in_the_sim|48", "7d11h25m", "N", "neg complaint privacy en",
  "Someone SIM-swapped my Nimbus number and emptied my exchange account\nWoke up Saturday to 'SIM not provisioned'. By the time I got to a store, someone had moved my number to an eSIM at a Nimbus kiosk two states away, reset my email, and used SMS codes to get into my crypto exchange. The store says the person showed a 'verified ID'. I have an account PIN set. How does this even happen?? Nobody at Nimbus can tell me anything beyond 'fraud team will reach out in 3-5 business days'.",
  sub="NimbusMobile")
P("N027", "reddit", "bytebuster77|bytebuster77|230", "7d10h40m", "N", "neu other - en",
  "Really sorry. For everyone reading this: move every 2FA you have off SMS to an authenticator app or a hardware key. SMS 2FA is a welcome mat.", reply="N026")
P("N028", "reddit", "dr_hamster|dr_hamster|61", "7d09h05m", "N", "neu question - en",
  "Which kiosk was it? There was a local news story last month about a mall kiosk doing the exact same thing, wondering if it's the same one.", reply="N026")
P("N029", "reddit", "ghost_in_the_sim", "5d14h30m", "N", "neg complaint legal,privacy en",
  "Update: Nimbus fraud dept says they 'can't share details of an ongoing investigation'. I've filed an FCC complaint and a police report, and I'm meeting with a lawyer Thursday. Still zero explanation of how a kiosk accepted a fake ID with a PIN on the account.",
  reply="N026")
P("N030", "reddit", "ghost_in_the_sim", "1d07h10m", "N", "pos praise - en",
  "Final update: Nimbus's escalations team called me this week. Number is back on my physical SIM, they confirmed the kiosk messed up, and they credited a year of service. Lost funds are a separate fight with the exchange, but honestly the escalations team was decent. Thanks for all the advice here.",
  reply="N029")

# --- Behrad: eSIM arc (x, fa) ---
P("N031", "x", "behrad_r|بهراد|740", "12d08h00m", "N", "neu question - fa",
  "@NimbusMobile سلام، می‌شه eSIM نیمبوس رو روی آیفون ۱۳ فعال کرد یا فقط رو گوشی‌های خودتون جواب میده؟ تو سایت هیچی ننوشته 🤔")
P("N032", "x", "behrad_r", "9d14h20m", "N", "neg complaint - fa",
  "یه هفته‌ست منتظر کد QR برای eSIM هستم. سه بار رفتم شعبه، هر دفعه میگن «سیستم قطعه، فردا بیاین». @NimbusMobile این چه وضعشه آخه؟", reply="N031")
P("N033", "x", "behrad_r", "6d21h45m", "N", "neg complaint churn fa",
  "دیگه واقعاً خسته شدم. اگه تا آخر هفته eSIM درست نشه، خطمو می‌برم یه اپراتور دیگه. پولشو سر وقت می‌گیرین ولی خدمات نمیدین @NimbusMobile 😒", reply="N032")
P("N034", "x", "behrad_r", "2d16h30m", "N", "pos praise - fa",
  "بالاخره eSIM فعال شد 🎉 یه کارشناس خیلی مودب از پشتیبانی خودش زنگ زد و ده دقیقه‌ای حلش کرد. دمتون گرم @NimbusMobile، فعلاً موندگار شدم 😅")

# --- Chloé: privacy-minded (mastodon + bluesky) ---
P("N035", "mastodon", "chloe_b@fosstodon.org|Chloé B.|860", "13d10h30m", "N", "neu question - en",
  "Does @nimbus@mastodon.social sell location data to ad brokers? Their privacy policy says 'trusted partners' eleven times and names exactly zero of them. Asking before I move our family plan over. #privacy")
P("N036", "mastodon", "chloe_b@fosstodon.org", "12d06h10m", "N", "neu suggestion - en",
  "Dear @nimbus@mastodon.social: publish the list of companies you share subscriber data with, and give us one opt-out toggle instead of four separate ones. It's 2026. This is the bare minimum. #privacy #dataprotection")
P("N037", "bluesky", "chloeb.bsky.social|Chloé B.|1420", "11d22h00m", "N", "pos purchase - en",
  "ok, decided: moving our family plan to Nimbus. their support actually answered my data-sharing questions in writing (there IS an opt-out, under Settings > Ads & Partners). 4 lines for less than we pay for 3 now.")
P("N038", "mastodon", "chloe_b@fosstodon.org", "3d20h00m", "N", "pos praise - en",
  "Small win: @nimbus@mastodon.social now lists its data partners on a public page, and the opt-out is a single toggle on the first settings screen. Not perfect, but a bunch of us asked and they actually did it 👏 #privacy")

# --- Persian voices ---
P("N039", "x", "babak_mzd|بابک|2300", "11d13h00m", "N", "neg complaint - fa",
  "دستتون درد نکنه @NimbusMobile 👏 بسته ۵۰ گیگی خریدم، دو روزه ۱۸ گیگش پریده در حالی که فقط تلگرام و اینستا باز کردم. حساب‌کتابتون حرف نداره 🙄")
P("N040", "x", "elnaz_art|الناز|5400", "10d07h30m", "N", "pos praise - fa",
  "دوربین Nimbus X3 تو شب واقعاً محشره 😍 این عکسا رو بدون هیچ ادیتی از پل طبیعت گرفتم. #NimbusX3 #عکاسی_موبایل")
P("N041", "x", "golzar_h|حمید گلزار|140", "9d03h00m", "N", "neu purchase - fa",
  "کسی می‌دونه بسته نامحدود نیمبوس ماهی چند درمیاد؟ می‌خوام خط خودم و خانمم رو ببرم رو نیمبوس، اگه تخفیف خانوادگی داره بگید لطفاً 🙏")
P("N042", "x", "farid_n|فرید|88", "5d12h10m", "N", "neg complaint churn fa",
  "این آخرین ماهیه که قبض نیمبوس رو پرداخت می‌کنم. سه ماهه تو خونه آنتن درست نداریم، هر بار زنگ می‌زنم میگن «گزارشتون ثبت شد». خداحافظ @NimbusMobile، دارم خطمو منتقل می‌کنم.")
P("N043", "mastodon", "arash@mastodon.social|آرش|412", "8d10h00m", "N", "neu question - fa",
  "کسی رومینگ نیمبوس رو تو ترکیه امتحان کرده؟ قیمتش منطقیه یا بهتره همون‌جا سیم‌کارت محلی بخرم؟ ماه دیگه میرم استانبول. @nimbus@mastodon.social")
P("N044", "mastodon", "bahar@mastodon.online|بهار|205", "8d06h20m", "N", "neg complaint - fa",
  "من پارسال رفتم، رومینگشون خیلی گرون بود و اینترنتش هم لاک‌پشتی. آخرش یه سیم‌کارت توریستی از فرودگاه گرفتم، نصف قیمت درومد.", reply="N043")
P("N045", "mastodon", "arash@mastodon.social", "1d22h00m", "N", "pos praise - fa",
  "آپدیت: رومینگ نیمبوس رو تو استانبول گرفتم، برخلاف تجربه بقیه پکیج هفتگی‌ش خیلی خوب بود، سرعتش هم عالی. ممنون @nimbus@mastodon.social 👌", reply="N043")
P("N046", "reddit", "hesam_k|hesam_k|33", "6d09h00m", "N", "neu question - fa",
  "کسی از نیمبوس موبایل برای زنگ زدن به ایران استفاده می‌کنه؟\nخانواده‌م تهرانن و هر ماه کلی پول کارت تلفن میدم. پکیج بین‌المللی نیمبوس برای ایران کیفیت صداش چطوره؟ قطع و وصل نمیشه؟",
  sub="iran")
P("N047", "reddit", "amir_ir_2020|amir_ir_2020|19", "6d07h40m", "N", "pos praise - fa",
  "من شش ماهه دارم استفاده می‌کنم، هفته‌ای دو سه بار با شیراز حرف می‌زنم. کیفیتش خوبه، فقط بعضی شبا یه کم تاخیر داره. در کل راضی‌ام 👍", reply="N046")
P("N048", "bluesky", "farzaneh.bsky.social|فرزانه|310", "4d11h00m", "N", "neg complaint - fa",
  "اپلیکیشن نیمبوس از دیروز باز نمیشه، فقط لوگو میاد و بسته میشه 😩 نمی‌تونم بسته‌مو تمدید کنم. کسی دیگه هم این مشکلو داره؟ @nimbusmobile.bsky.social")
P("N049", "x", "dariush_sh|Dariush|51", "3d22h40m", "N", "neg complaint - fa",
  "@NimbusMobile salam, chera az dishab internetam ghat shode?? modem ro ham 2 bar restart kardam, hichi. lotfan ye javab bedid, kar daram 😩")
P("N050", "x", "bita_kh|Bita|190", "0d18h25m", "N", "pos praise - fa",
  "vaaay gushi jadidam resid!! Nimbus X3 kheyli khoshgele, doorbinesh ham aalie 😍 merci @NimbusMobile ke enghadr zood ferestadin")

# --- Turkish voices ---
P("N051", "x", "cansu_ylmz|Cansu Yılmaz|1203", "12d11h00m", "N", "neg complaint - tr",
  "@NimbusMobile paketi 20GB'dan 50GB'a upgrade ettim ama speed berbat, Speedtest 2 Mbps gösteriyor 🙃 Daha fazla para verip daha yavaş internet, tebrikler")
P("N052", "x", "cansu_ylmz", "7d16h00m", "N", "neu question - tr",
  "@NimbusMobile Beşiktaş'ta 5G'yi nasıl aktif ederim? Telefon hep 4G gösteriyor, ayarlardan mı açmak lazım yoksa hattımda mı tanımlı değil?")
P("N053", "x", "cansu_ylmz", "3d09h10m", "N", "pos praise - tr",
  "Hakkını vereyim: Beşiktaş'ta 5G artık gayet stabil, bugün 380 Mbps gördüm 🚀 Destek ekibi hattımdaki tanımı da düzeltmiş. Teşekkürler @NimbusMobile")
P("N054", "x", "ahmet_brk|Ahmet Burak|58", "11d17h05m", "N", "neu purchase - tr",
  "Nimbus'a geçmek istiyorum, faturalı sınırsız paketin aylık fiyatı ne kadar? Numara taşıyana hediye GB falan var mı @NimbusMobile")
P("N055", "x", "gulsen_ak|Gülşen Ak|187", "9d08h30m", "N", "neg complaint privacy tr",
  "@NimbusMobile 3 kere aradım kimse geri dönmedi!! Numaram 0555 000 00 00, TC'min son 4 hanesi 0000, adresim Moda Cad. No:00 Kadıköy. Lütfen artık arayın, faturam 2 aydır yanlış geliyor!!")
P("N056", "x", "gulsen_ak", "8d23h10m", "N", "neg complaint - tr",
  "DM'den yazın dediniz, yazdım. 'Kaydınız oluşturuldu' dendi, o kadar. Faturada hâlâ 340 TL fazlalık var. Ne zaman düzelecek bu?", reply="N055")
P("N057", "mastodon", "bora@fosstodon.org|Bora|230", "10d14h00m", "N", "neu suggestion - tr",
  "@nimbus@mastodon.social web paneline karanlık mod ve basit bir API ekleseniz çok iyi olur. Faturayı otomatik çekip muhasebe script'ime atmak istiyorum, her ay elle PDF indirmek hiç 2026'ya yakışmıyor 🐧")
P("N058", "mastodon", "bora@fosstodon.org", "5d08h20m", "N", "pos praise - tr",
  "Nimbus'un yeni web paneli gelmiş: karanlık mod var, fatura indirme için token'lı bir endpoint bile koymuşlar 😄 Önerimi dinlemişler galiba. #NimbusMobile")
P("N059", "bluesky", "cemre.bsky.social|Cemre|540", "9d02h00m", "N", "neu other - en",
  "the dancing cloud from the new Nimbus Mobile ad has been living in my head rent free for 3 days. someone please make it stop 😭")
P("N060", "reddit", "burak_ist|burak_ist|27", "8d12h00m", "N", "neu question - tr",
  "Yurtdışından alınan Nimbus X3 için IMEI kaydı nasıl oluyor?\nABD'den Nimbus X3 aldım. Nimbus mağazası bu işi hallediyor mu yoksa e-Devlet'ten mi yapmak lazım? Harç şu an ne kadar, bilen var mı? Hattım zaten Nimbus'ta.",
  sub="Turkey")
P("N061", "x", "efe_can|Efe Can|890", "6d04h00m", "N", "pos praise - tr",
  "Yeni Nimbus X3 Pro'yu aldım, kamera efsane, pil rahat 2 gün gidiyor. Bu fiyata rakipsiz diyebilirim 🔥 #NimbusX3")
P("N062", "x", "hakan_oztrk|Hakan Öztürk|1540", "2d10h00m", "N", "neg complaint - tr",
  "Müşteri hizmetlerini aradım, 47 dakika bekledim, 'sizi ilgili birime aktarıyorum' dedi ve hat kapandı. Harika deneyim @NimbusMobile, emeğinize sağlık 👏👏 #müşterihizmetleri")
P("N063", "x", "gokhan_a|Gökhan A.|12", "1d15h00m", "N", "neu purchase - tr",
  "Kızıma ilk telefonu olarak Nimbus A14 almayı düşünüyorum. Mağazada kredi kartına taksit var mı, öğrenci tarifesiyle birlikte alınca indirim oluyor mu? @NimbusMobile")
P("N064", "bluesky", "cemre.bsky.social", "0d05h00m", "N", "pos purchase - tr",
  "Black Friday'de Nimbus X3 %25 indirime girmiş, dayanamadım sipariş verdim 🙈 kargo yarın geliyormuş, cüzdanım ağlıyor ama ben mutluyum")

# --- Arabic / Spanish / German / French ---
P("N065", "x", "amira_h|أميرة|530", "7d02h00m", "N", "neg complaint - ar",
  "@NimbusMobile التغطية ضعيفة جداً داخل المول، لا أقدر أدفع من التطبيق ولا حتى أرسل رسالة. متى بتحلّون المشكلة؟ 😤")
P("N066", "x", "hadi_m|هادي|77", "3d18h00m", "N", "neu purchase - ar",
  "كم سعر باقة الإنترنت المفتوح عند Nimbus Mobile؟ أبغى أشترك لي ولأخوي، وهل فيه عرض للخطين؟ 🙏")
P("N067", "x", "dario_fdez|Darío Fernández|260", "6d15h00m", "N", "neg complaint legal es",
  "@NimbusMobile llevo 3 semanas esperando el reembolso de la portabilidad. Me habéis dado 4 números de incidencia y ninguna fecha. Si esta semana no está resuelto, pongo una reclamación en la OMIC y ante Consumo. Ya está bien.")
P("N068", "mastodon", "bea_lopez@mastodon.social|Bea López|140", "2d20h00m", "N", "pos praise - es",
  "Tengo que decirlo: la cobertura de Nimbus en la sierra me ha sorprendido. Subí a Peñalara el domingo y tuve 4G todo el camino 🏔️📶 @nimbus@mastodon.social")
P("N069", "mastodon", "helga@chaos.social|Helga|390", "9d11h00m", "N", "neg complaint churn de",
  "Zum dritten Mal diesen Monat kein Netz in Kreuzberg, die Hotline vertröstet mich nur. Ich kündige meinen Vertrag bei @nimbus@mastodon.social zum Monatsende. Reicht jetzt. #Funkloch")
P("N070", "x", "hanna_vogt|Hanna Vogt|145", "4d07h00m", "N", "neu question - de",
  "@NimbusMobile Kann ich meine alte Rufnummer mitnehmen, wenn ich zu euch wechsle? Und wie lange dauert die Portierung ungefähr?")
P("N071", "bluesky", "camille-dlr.bsky.social|Camille Delaroche|678", "5d04h00m", "N", "pos praise - fr",
  "Franchement, le service client de Nimbus m'a bluffée : problème de facture réglé en 5 minutes par chat, et en français en plus 👏 @nimbusmobile.bsky.social")
P("N072", "x", "flo_marchand|Florian Marchand|64", "1d11h00m", "N", "neu suggestion - fr",
  "Petite suggestion pour @NimbusMobile : proposez une eSIM de voyage directement dans l'appli, sans passer en boutique. Ce serait parfait pour les vacances ✈️")

# --- X: assorted ---
P("N073", "x", "bex_runs|Becca R.|220", "6d07h30m", "N", "pos praise - en", "", repost="N010")
P("N074", "x", "cole_whitt|Cole Whitaker|75", "12d03h20m", "N", "neg complaint - en",
  "Love paying for 5G Ultra and getting one bar of Edge in downtown Denver. Truly cutting-edge stuff @NimbusMobile 🙄 #5G")
P("N075", "x", "dreamcoin_drop|DreamCoin Airdrop 🚀|41", "10d11h11m", "N", "neu spam - en",
  "🚀🚀 ATTENTION @NimbusMobile users!! Claim your FREE $NMBS token airdrop before it ends 💰💰 Connect wallet 👉 dreamcoin-drop.xyz/claim 🔥 #crypto #airdrop #NimbusMobile #web3")
P("N076", "x", "free_iphone_dailyy|Daily Giveaways 🎁|12", "7d05h05m", "N", "neu spam - en",
  "Nimbus is the best!! 🔥🔥 Best network EVER!!! RT + follow to WIN a FREE iPhone 17 Pro 👉 bit.ly/nmbs-win-free 🎁🎁 #NimbusMobile #giveaway #free")
P("N077", "x", "growfast_smm|GrowFast SMM|9", "5d23h40m", "N", "neu spam - en",
  "@NimbusMobile Great brand 👍 but your engagement is low 📉 DM us for 10K real followers & likes 💯 cheap packages, fast delivery ✅✅")
P("N078", "x", "help_nimbus_care|Nimbus Care Support|3", "4d02h50m", "N", "neu spam - en",
  "@gulsen_ak Hi, we're sorry for the trouble! 🙏 Please DM us your full name, account PIN and the 6-digit code we just texted you so we can correct your bill right away. - Nimbus Care Team",
  reply="N056")
P("N079", "x", "aiden_plays|Aiden 🎮|3000", "9d00h30m", "N", "pos praise - en",
  "ok the Nimbus X3 Pro is FIRE 🔥 3 hours of Genshin on max settings, zero frame drops. @NimbusMobile you cooked with this one")
P("N080", "x", "bigmike_ok", "5d17h00m", "N", "neu question - en",
  "@NimbusMobile quick one: does Family Unlimited include hotspot on every line or just the primary? site says 'up to 50GB' and I can't tell if that's per line or shared")
P("N081", "x", "hollyj_writes|Holly J|330", "3d14h20m", "N", "neu purchase - en",
  "How much is the unlimited plan at @NimbusMobile if I bring my own phone? Trying to ditch my current carrier before the holidays and y'all keep showing up in my feed 👀")
P("N082", "x", "gabe_nunez|Gabe Núñez|1500", "2d08h00m", "N", "pos purchase - en",
  "Just ordered the Nimbus X3 Pro in sage green 💚 Black Friday price + trade-in on my old phone got it down to $389. Arrives Tuesday, can't wait")
P("N083", "x", "ava_quinn|Ava Quinn|640", "0d02h15m", "N", "neg complaint - en",
  "Hi @NimbusMobile, I've been on hold about 40 minutes trying to update my billing address. I completely understand it's a busy week, but is there a callback option? Would really appreciate it, thank you!")
P("N084", "x", "cole_whitt", "1d19h00m", "N", "neg complaint - en",
  "@NimbusMobile any ETA on 14.3 for the X3? 14.2 still drops me to LTE every time I walk out the front door. You've been 'aware of the issue' for a week and a half now")

# --- Reddit threads ---
P("N085", "reddit", "ducttape_dad|ducttape_dad|3", "10d06h00m", "N", "neg complaint safety en",
  "Nimbus A14 charger melted and burned my thumb\nPlugged my kid's Nimbus A14 into the charger that came in the box. About 20 minutes later there was a burning plastic smell, the plug housing was soft and warped, and when I yanked it out of the wall I got a blister on my thumb. Phone seems fine, charger is toast. Pics in comments. Nimbus support's answer was 'please email photos to our returns team'. Is this a known thing with these bricks? I have two more in the house.",
  sub="phones")
P("N086", "reddit", "cablesnake|cablesnake|1", "10d04h30m", "N", "neu question - en",
  "Was it plugged straight into the wall or into a power strip? And what model number is printed on the brick, NC-30 or NC-30B? Curious if it's one batch.", reply="N085")
P("N087", "reddit", "frugal_fiona|frugal_fiona|8", "13d07h00m", "N", "neu question - en",
  "Is the $35 Basic plan worth it over the $45 Plus?\nI'm on wifi basically all day at home and at work. Plus gives you 15GB more and hotspot. Anyone on Basic who regrets it? Thinking of porting over from my prepaid.",
  sub="NimbusMobile")
P("N088", "reddit", "alder_and_ash|alder_and_ash|5", "13d02h00m", "N", "neu suggestion - en",
  "Basic is fine if you're on wifi most of the time. Nimbus really should let you turn on hotspot on Basic for like $5/mo though, I'd kill for that when I'm stuck at airports.", reply="N087")
P("N089", "reddit", "frugal_fiona", "12d19h00m", "N", "pos purchase - en",
  "ok that settles it, signed up for Basic. port from my prepaid went through in like 20 minutes 👍", reply="N088")
P("N090", "reddit", "glitchy_gus|glitchy_gus|1", "8d20h00m", "N", "neu question - en",
  "Nimbus X3 won't join 5GHz wifi after the 14.2 update\nPhone sees the network but says 'Unable to join'. 2.4GHz works fine. Router is a TP-Link AX55. Already forgot the network and reset network settings. Anything else I can try before I factory reset?",
  sub="techsupport")
P("N091", "reddit", "bitrot_bea|bitrot_bea|4", "8d18h40m", "N", "neu other - en",
  "Check whether the router is set to WPA3-only. A few people in the 14.2 thread on r/NimbusMobile fixed it by switching to WPA2/WPA3 mixed mode.", reply="N090")
P("N092", "reddit", "hexagon_hugo|hexagon_hugo|12", "6d02h00m", "N", "neu suggestion - en",
  "Feature request: let us schedule plan changes for the next billing cycle\nRight now if you downgrade mid-cycle it applies immediately and you lose the data you already paid for. Please add an 'apply at next billing date' option like most carriers have. A usage widget for Android would be nice too.",
  sub="NimbusMobile")
P("N093", "reddit", "fern_and_fig|fern_and_fig|3", "5d22h00m", "N", "neu suggestion - en",
  "+1, and an option to hide the promo banner on the home screen would be great. Dark mode for the widget too pls", reply="N092")
P("N094", "reddit", "bosun_bill|bosun_bill|20", "4d15h00m", "N", "pos praise - en",
  "Shoutout to the Nimbus tech at the Riverside store\nMy dad (82) dropped his phone in the sink last week and was panicking because all his photos of my late mom were on it. The tech at the Riverside store spent most of his lunch break getting it to boot long enough to back everything up to the cloud. Didn't charge us a cent. Dad cried a little. Whoever you are, Marcus, thank you.",
  sub="NimbusMobile")
P("N095", "reddit", "cobalt_cat|cobalt_cat|7", "3d06h00m", "N", "neu purchase - en",
  "Nimbus X3 vs Pixel 9a at ~$400? Leaning Nimbus\nBudget is about $400. The X3 is $399 for 256GB this week. I read about the charging batch problem a while back, is new stock fine? Mostly care about camera and getting 2 days out of the battery.",
  sub="phones")
P("N096", "reddit", "dusty_modem|dusty_modem|11", "3d04h10m", "N", "pos praise - en",
  "Got mine in October, newer batch. Camera is legit great and the battery life is killer, easily 2 days for me. Only gripe is slow-ish wireless charging.", reply="N095")
P("N097", "reddit", "cobalt_cat", "1d09h00m", "N", "pos purchase - en",
  "Pulled the trigger, X3 256GB ordered 🙏 thanks all", reply="N096")
P("N098", "reddit", "ginger_ops|ginger_ops|15", "2d12h00m", "N", "neu question - en",
  "Does Nimbus Wi-Fi calling work on unlocked Samsung phones?\nMoving into a basement apartment with basically zero signal. The compatibility page only lists Nimbus phones and iPhones. Anyone running it on a Galaxy?",
  sub="NimbusMobile")
P("N099", "reddit", "dusty_modem", "2d10h00m", "N", "neg complaint - en",
  "It 'works' on my S23, in the sense that it took four chats and two days before someone finally refreshed my provisioning. Every agent before that told me to restart my phone. Once it's on, it's solid.", reply="N098")
P("N100", "reddit", "ginger_ops", "0d20h00m", "N", "neu question - en",
  "Did you have to ask for anything specific? Like a ticket type or magic words? Really don't want to lose two days to this", reply="N099")

# --- Mastodon ---
P("N101", "mastodon", "grumpyadmin@hachyderm.io|Grumpy Admin|1900", "11d08h00m", "N", "neu question - en",
  "Does @nimbus@mastodon.social do static IPv4 on the business 5G plans, or is it CGNAT all the way down? Need inbound VPN at a small branch office. #sysadmin")
P("N102", "mastodon", "grumpyadmin@hachyderm.io", "10d22h00m", "N", "neg complaint - en",
  "Answer from their sales team: static IPs are 'on the roadmap'. Cool cool cool. So I get to build a tunnel through a VPS like it's 2009. Thanks, I guess. #sysadmin", reply="N101")
P("N103", "mastodon", "fennel@mastodon.art|Fennel 🌿|320", "7d19h00m", "N", "neu other - en",
  "drew the Nimbus Mobile cloud mascot from those ads as a tiny grumpy storm cloud because he looks like he needs a nap 🌩️ #mastoart #fanart #illustration")
P("N104", "mastodon", "ezra@fosstodon.org|Ezra|150", "6d13h00m", "N", "neu question - en",
  "Is there any way to get @nimbus@mastodon.social bills emailed as plain PDFs instead of logging into the app every month? Can't find it in settings.")
P("N105", "mastodon", "dagny@social.vivaldi.net|Dagny|270", "4d20h00m", "N", "neu suggestion - en",
  "@nimbus@mastodon.social suggestion: post outage updates here too, not only on X. A lot of us aren't there anymore, and a couple of sentences of detail on the status page would go a long way.")
P("N106", "mastodon", "hodl_gains@mstdn.party|HODL Gains 💎|5", "3d01h00m", "N", "neu spam - en",
  "@nimbus@mastodon.social 💎 Earn 3% DAILY with our AI trading bot 🤖📈 Nimbus customers get a 50 USDT welcome bonus 🎁 Join now: t.me/hodl_gains_vip")
P("N107", "mastodon", "ezra@fosstodon.org", "0d09h00m", "N", "neu question - en",
  "Anyone know if the Nimbus X3 bootloader can be unlocked without voiding the warranty? Would love to run a de-Googled ROM on it. #android #customrom #degoogle")

# --- Bluesky ---
P("N108", "bluesky", "followboost.bsky.social|FollowBoost 🚀|18", "12d00h30m", "N", "neu spam - en",
  "🔥 Gain 5K REAL followers in 24h 🔥 Top brands like @nimbusmobile.bsky.social already trust us 💯 DM 'GROW' to start ⬆️⬆️")
P("N109", "bluesky", "bnbmoonshot.bsky.social|Moonshot Alerts|22", "1d02h00m", "N", "neu spam - en",
  "BREAKING 🚨 Nimbus Mobile x $MOON partnership incoming 🌕🚀 presale closes TONIGHT → moonshot-presale.app (nfa 😉) #nimbusmobile #crypto")
P("N110", "bluesky", "hediye-cekilis.bsky.social|Hediye Çekiliş 🎁|7", "5d01h30m", "N", "neu spam - tr",
  "🎁 Nimbus Mobile'dan tüm abonelere 100GB HEDİYE internet!! Kodunu hemen al 👉 nmbs-hediye.online ⏰ Son 2 saat, kaçırma!! #NimbusMobile #bedavainternet")
P("N111", "bluesky", "hazel-writes.bsky.social|Hazel|1100", "8d01h00m", "N", "neu other - en",
  "overheard on the train: 'I don't have a phone plan, I have a Nimbus plan. it's a lifestyle.' ma'am what does that MEAN")
P("N112", "bluesky", "emre-dev.bsky.social|Emre|430", "5d19h00m", "N", "neu question - en",
  "does the Nimbus business API support webhooks for usage alerts, or do I have to poll? couldn't find it in the docs")
P("N113", "bluesky", "dasha-k.bsky.social|Dasha K.|260", "2d05h00m", "N", "neu suggestion - en",
  "@nimbusmobile.bsky.social would be great if store appointments sent a reminder text the day before. I can't be the only one who forgets 🙃")
P("N114", "bluesky", "hazel-writes.bsky.social", "0d14h00m", "N", "neu question - en",
  "anyone know if Nimbus's international pass works in Japan? flying to Osaka in december and the coverage map just says 'partner network' with no speeds")
P("N115", "bluesky", "bramblecat.bsky.social", "3d12h00m", "N", "pos purchase - en",
  "caved and got my mom a Nimbus A14 for her birthday. the store set up big-text mode and her contacts for her without us even asking 🥹")
