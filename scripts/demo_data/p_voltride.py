"""Voltride demo posts (hand-written)."""
from build import P

# ---------------------------------------------------------------- X / Twitter
# Shirin: double charge in Tehran -> refund question -> consumer-protection threat -> refunded
P("V001", "x", "shirin_tavakoli|Shirin Tavakoli|380", "13d02h10m", "V", "neg complaint - fa",
  "@Voltride امروز صبح یه سفر ۱۲ دقیقه‌ای از ونک تا ولیعصر رفتم و دو بار از حسابم کسر شده، دقیقاً با یه مبلغ. لطفاً بررسی کنید 🙏")
P("V002", "x", "shirin_tavakoli", "12d20h40m", "V", "neu question - fa",
  "@Voltride سلام، برای برگشت پول تراکنش تکراری باید از کجای اپ درخواست بدم؟ شماره سفرم VR-88213 هست.",
  reply="V001")
P("V003", "x", "shirin_tavakoli", "10d05h15m", "V", "neg complaint legal fa",
  "سه روزه منتظرم و هیچ جوابی نیومده. اگه تا فردا پولم برنگرده، شکایتم رو رسماً به سازمان حمایت از حقوق مصرف‌کنندگان می‌برم. دیگه حوصله پیام‌های کپی‌پیست ندارم @Voltride",
  reply="V002")
P("V004", "x", "shirin_tavakoli", "8d11h30m", "V", "pos praise - fa",
  "خداروشکر بالاخره پیگیری کردن و مبلغ اضافه برگشت 🙏 یه کد سواری رایگان هم دادن. ممنون از پشتیبانی @Voltride، فقط کاش زودتر جواب می‌دادین 😅",
  reply="V003")

# Yağmur: happy commuter -> scooter dies mid-ride -> sarcasm -> cancels pass (later refunded, see Mastodon)
P("V005", "x", "yagmurcelik|Yağmur Çelik|920", "13d09h25m", "V", "pos praise - tr",
  "Moda sahilinde gün batımında @Voltride ile 20 dakikalık tur 🛴🌅 Kadıköy'de işe gidip gelmek için verdiğim en iyi karar. Yeni scooterlar da çok smooth")
P("V006", "x", "yagmurcelik", "11d08h05m", "V", "neg complaint - tr",
  "@Voltride Beşiktaş'tan Ortaköy'e giderken scooter yolun ortasında kapandı, şarj %40 görünüyordu. Kalan yolu iterek yürüdüm, süre de işlemeye devam etti. 38 dakika ücret kesildi 🙄 Sürüş no: VT-IST-55102")
P("V007", "x", "yagmurcelik", "10d14h30m", "V", "neg complaint - tr",
  "Destek ekibinden gelen cevap: 'Sürüşünüzü bitirmeyi unutmuşsunuz.' Evet evet, ben unuttum, scooter kendi kendine ölmedi 👏👏 Harika müşteri hizmetleri @Voltride",
  reply="V006")
P("V008", "x", "yagmurcelik", "9d16h50m", "V", "neg complaint churn tr",
  "Aylık paketimi iptal ettim, uygulamayı da sildim. 2 yıldır kullanıyordum ama böyle muamele olmaz. Başka bir scooter uygulamasına geçiyorum, bye @Voltride 👋",
  reply="V007")

# Sam: urban-mobility YouTuber, brake test in Paris
P("V009", "x", "streetlevel_sam|Sam Okoro • Street Level Mobility|186000", "9d04h00m", "V", "neg complaint safety en",
  "Tested 6 @Voltride Gen3 scooters in Paris for this week's video. On 2 of them the rear brake lever went nearly to the bar before anything happened, downhill on Rue de Ménilmontant. That's not 'a bit worn', that's a crash waiting to happen.")
P("V010", "x", "streetlevel_sam", "7d02h15m", "V", "neu other - en",
  "Update: Voltride's ops team got in touch. They say they're pulling the Gen3 units in the 20e for brake checks. I'll ride a fresh batch next week and report back in the video.",
  reply="V009")
P("V011", "x", "streetlevel_sam", "2d06h40m", "V", "neu suggestion - en",
  "Re-tested after the brake checks: 8/8 scooters in the 20e stopped clean. Good. Next step @Voltride: publish how often every scooter's brakes actually get inspected, city by city. Video's up 👇",
  reply="V010")

# Rania: corporate plan in Dubai -> signed -> invoice wrong -> fixed
P("V012", "x", "rania_aziz_dxb|Rania Aziz|2150", "12d06h00m", "V", "neu purchase - en",
  "@Voltride we're a 40-person team in Dubai Internet City and want everyone on a corporate plan for the metro last mile. Ready to sign this month, please DM me pricing and invoicing details.")
P("V013", "x", "rania_aziz_dxb", "11d03h20m", "V", "pos purchase - en",
  "Signed! Corporate plan goes live for the whole team on the 1st. Smoothest B2B onboarding I've done this year, thanks @Voltride 🙌",
  reply="V012")
P("V014", "x", "rania_aziz_dxb", "6d08h10m", "V", "neg complaint - en",
  "@Voltride first corporate invoice just landed with VAT charged twice and our agreed team discount nowhere to be seen. Finance is not amused. Can someone sort this before month end?",
  reply="V013")
P("V015", "x", "rania_aziz_dxb", "4d09h00m", "V", "pos praise - en",
  "Corrected invoice arrived within a day, and Omar from the account team walked our finance lead through it on a call. This is how it should work 👏 @Voltride",
  reply="V014")

P("V016", "x", "yousef_almansoori|يوسف المنصوري|610", "10d19h00m", "V", "neg complaint - ar",
  "@Voltride تم تغريمي ٥٠ درهم بسبب الوقوف خارج المنطقة المسموحة في دبي مارينا، مع أن التطبيق كان يظهر اللون الأخضر وقت إنهاء الرحلة. أرسلت صورة الشاشة ولا يوجد أي رد منذ أسبوع.")
P("V017", "x", "salma_dxb|سلمى|240", "5d13h30m", "V", "neu question - ar",
  "@Voltride هل الاشتراك الشهري يشمل الدراجات الكهربائية أيضاً أم السكوتر فقط؟ وهل يمكن استخدامه عند السفر إلى إسطنبول؟")
P("V018", "x", "tolgaaydin_|Tolga Aydın|530", "8d07h45m", "V", "neg complaint safety tr",
  "@Voltride Kadıköy Rıhtım'da kiraladığım scooter'ın batarya kısmından duman çıkmaya başladı, son anda atladım. Scooter hâlâ orada duruyor, kodu 4471. Lütfen acilen biri gelip alsın, etrafta çocuklar oynuyor!")
P("V019", "x", "sergio_mtz_mad|Sergio Martínez|315", "6d21h10m", "V", "neg complaint safety es",
  "@Voltride el acelerador de un patinete se quedó atascado bajando por la calle de Atocha y no había forma de pararlo. Tuve que tirarme al suelo, tengo la rodilla abierta. Esto es serio, retiradlo ya (ID 20931).")
P("V020", "x", "tavi_codes|Tavi|1890", "4d14h20m", "V", "pos praise - en",
  "ok the new @Voltride e-bikes in Kreuzberg are fire 🔥 pedal assist actually pulls you up Bergmannstraße without dying. converted")
P("V021", "x", "rocio_vela|Rocío Vela|770", "3d18h00m", "V", "pos praise - es",
  "Primera vez usando @Voltride en Madrid y qué maravilla: desbloqueo en dos segundos y bajar por el carril bici de la Castellana en patinete es una gozada 🛴")
P("V022", "x", "voltride_rewards_now|Voltride Rewards 🎁|12", "9d10h00m", "V", "neu spam - en",
  "@yagmurcelik Don't leave us! 🎉 Claim a FREE 3-month Voltride pass as an apology, only 50 codes left 👉 voltride-pass-claim.example/free ⏳",
  reply="V008")
P("V023", "x", "satoshi_signals_pro|Crypto Signals 🚀|48", "7d11h00m", "V", "neu spam - en",
  "Voltride riders 🛴 why PAY per minute when you could EARN per minute? 💰 Our AI trading bot made members +340% this month. DM 'VOLT' for free access 🚀🚀 #Voltride #escooter #crypto")
P("V024", "x", "sunny_reviews_247|Sunny Reviews|95", "5d06h00m", "V", "neu spam - en",
  "Voltride is honestly the best scooter app I've EVER used!!! 10/10 would ride again 🛴✨ Also get 1000 real followers in 24h at boostfollowz.example, use code RIDE 💯💯")
P("V025", "x", "rowan_pk|Rowan Patel|460", "12d01h30m", "V", "neg complaint - en",
  "Love that @Voltride now charges me €0.29/min to push a dead scooter up Prenzlauer Berg. Really innovative fitness feature. Five stars, would sweat again 👏")

# retweets + local news
P("V026", "x", "rue_velo_paris|Rue Vélo|1340", "1d22h00m", "V", "neu suggestion - en", "", repost="V011")
P("V027", "x", "urbanbrief_ist|Urban Brief İstanbul|42300", "11d00h00m", "V", "neu other - tr",
  "İBB, 1 Ocak'tan itibaren kiralık e-scooter'lar için kaldırıma park yasağı getiriyor. Voltride dahil tüm operatörler araçların yalnızca belirlenen park alanlarına bırakılmasını sağlamakla yükümlü olacak. Kuralı ihlal eden kullanıcıya 750 TL ceza öngörülüyor.")
P("V028", "x", "serkan_ulu|Serkan Ulu|280", "10d21h30m", "V", "neu other - tr", "", repost="V027")
P("V029", "x", "urbanbrief_ist", "3d05h00m", "V", "neu other - tr",
  "Voltride, Üsküdar ve Beşiktaş'ta 300 yeni e-bisikleti hizmete aldı. Şirket, yeni bisikletlerin 18 yaş altı kullanıcılara kapalı olacağını ve kimlik doğrulamasının zorunlu tutulacağını açıkladı.")
P("V030", "x", "tobi_kreuzberg|Tobi|150", "4d10h00m", "V", "pos praise - en", "", repost="V020")

# Rémy: Paris parking fine -> DGCCRF/lawyer threat -> cancelled
P("V031", "x", "remy_lefevre|Rémy Lefèvre|690", "7d18h00m", "V", "neg complaint legal fr",
  "@Voltride 135 € d'amende pour un stationnement « hors zone » place de la République alors que la zone était verte dans l'appli. J'ai la capture d'écran. Si vous ne l'annulez pas, je saisis la DGCCRF et mon avocat s'en charge.")
P("V032", "x", "remy_lefevre", "5d02h00m", "V", "pos praise - fr",
  "Amende annulée ce matin, merci @Voltride pour la réponse (enfin) rapide. On reste amis 🛴",
  reply="V031")

P("V033", "x", "rachelmoss_|Rachel Moss|330", "9d12h00m", "V", "neg complaint - en",
  "@Voltride 3rd email, still no reply about the refund for the scooter that died on Unter den Linden. Account email is someone@example.com, phone +49 000 0000000. Please just call me back.")
P("V034", "x", "reza_kiani|Reza Kiani|410", "8d14h00m", "V", "neg complaint - fa",
  "@Voltride scooter vasat e Enghelab khamoosh shod, 20 daghighe hesab kardin vali man 5 daghighe bishtar savar nashodam. in chie akhe?? 😡")
P("V035", "x", "sara_mhd|Sara Mohammadi|150", "6d15h00m", "V", "pos praise - fa",
  "Voltride too Tehran vaghean nejatam dad, az metro Tajrish ta daneshgah 10 daghighe 😍 merci @Voltride")
P("V036", "x", "umutkaya_|Umut Kaya|260", "12d10h00m", "V", "pos purchase - tr",
  "Öğrenci indirimiyle @Voltride aylık paketini aldım: ayda 249 TL'ye günde 30 dk'ya kadar sürüş. İTÜ'ye gidip gelmek için tam ihtiyacım olan şey 🙌")
P("V037", "x", "thea_lindqvist|Thea Lindqvist|520", "11d15h00m", "V", "neu question - en",
  "@Voltride does the Berlin monthly pass work when I'm in Paris for a week, or do I need to buy a separate one there?")
P("V038", "x", "wes_harlan|Wes Harlan|88", "10d07h00m", "V", "neu question - en",
  "@Voltride how do I add a second payment card to my account? I can only see the option to replace the existing one.")
P("V039", "x", "sevvalyilmaz|Şevval Yılmaz|410", "9d01h00m", "V", "neu question - tr",
  "@Voltride Kadıköy'den Üsküdar'a e-bisikletle gidip orada bırakabilir miyim, yoksa aynı bölgeye geri mi dönmem gerekiyor?")
P("V040", "x", "stefan_ried|Stefan Ried|640", "8d03h00m", "V", "neu suggestion - en",
  "Idea for @Voltride: let me pause a ride for 5 min at a reduced rate when I pop into a shop. Right now I either end it and risk someone grabbing the scooter, or pay full price to stand outside the Späti.")
P("V041", "x", "yasaman_nz|Yasaman Nazari|990", "7d09h00m", "V", "neu suggestion - fa",
  "@Voltride پیشنهاد: کاش توی اپ یه گزینه برای رزرو اسکوتر از ۱۰ دقیقه قبل داشتید. صبح‌ها کنار ایستگاه مترو تجریش همه‌شون زود تموم میشن.")
P("V042", "x", "ruby_ocampo|Ruby Ocampo|1200", "6d11h00m", "V", "pos praise - en",
  "Shoutout to the @Voltride support person who stayed on chat with me for 20 min at 1am in Friedrichshain while we figured out why the QR wouldn't scan. Got home fine. Genuinely kind human.")
P("V043", "x", "vik_raman|Vikram Raman|355", "5d20h00m", "V", "neg complaint - en",
  "Day 6 waiting for @Voltride to answer a ticket about a €24 charge for a 4-minute ride. The in-app chat says 'typical reply time: a few hours'. Which hours, exactly? 🙃")
P("V044", "x", "tessa_brandl|Tessa Brandl|480", "4d07h00m", "V", "neg complaint churn en",
  "Per-minute price went from €0.23 to €0.31 with a push notification as the only warning. Cancelled my Voltride monthly pass today. The bike I own doesn't do surprise price hikes. @Voltride")
P("V045", "x", "xander_fry|Xander Fry|205", "3d21h00m", "V", "pos purchase - en",
  "Finally caved and bought the @Voltride monthly pass. At 3 rides a day to the U-Bahn it pays for itself by the 10th. Should've done it in September.")
P("V046", "x", "willa_cho|Willa Cho|740", "2d15h00m", "V", "neu other - en",
  "Paris has scooters on every corner and the moment it rains not a single person rides any of them. The @Voltride row outside Gare de l'Est just sits there like a line of wet ducks 🦆")
P("V047", "x", "selinkoc_|Selin Koç|690", "2d08h00m", "V", "neg complaint - tr",
  "@Voltride bugün aynı ride için iki kere charge edildim, 87 TL x2. Screenshot DM'de. Lütfen refund yapın, ay sonu zaten zor 😩 Tel: 0555 000 00 00, arayabilirsiniz")
P("V048", "x", "yusuf_demirtas|Yusuf Demirtaş|180", "1d19h00m", "V", "pos praise - tr",
  "Beyoğlu'ndan Karaköy'e yokuş aşağı @Voltride ile 6 dakika. Otobüste 40 dakika trafikte bekleyeceğime bin kere bunu seçerim 👌")
P("V049", "x", "ryan_okeefe|Ryan O'Keefe|140", "1d05h00m", "V", "neg complaint - en",
  "@Voltride charged me a €15 'improper parking' fee with a photo that isn't even my scooter. Different ID on the stem, different street. How does that get approved?")
P("V050", "x", "zap_codes_daily|Free Ride Codes|33", "0d20h00m", "V", "neu spam - en",
  "🛴 NEW @Voltride promo codes working TODAY: VOLTFREE100 = 100 free minutes, RIDE4LIFE = unlimited pass 😱 Full list at freescootercodes.example before they patch it!")

# ---------------------------------------------------------------- Reddit
# r/berlin: wrong parking fine -> Verbraucherzentrale -> refunded
P("V051", "reddit", "wandering_wedding|wandering_wedding|2140", "12d04h00m", "V", "neg complaint - en",
  "Voltride fined me €35 for parking in a zone that was green on their own map\n"
  "Ended my ride on Torstraße near Rosenthaler Platz last Tuesday. App showed my dot inside the green parking area, I got the little 'thanks for parking responsibly' screen, took the end photo like always. Two days later: €35 'parking outside designated area' fee.\n\n"
  "I have a screenshot of the map with the dot clearly inside the green. Support sent a canned reply saying GPS is 'the source of truth'. Anyone else getting hit with these lately? Starting to feel like a revenue stream.",
  sub="berlin")
P("V052", "reddit", "rosalind_ch|rosalind_ch|430", "12d01h00m", "V", "neg complaint - en",
  "Same thing happened to me in Mitte in October, €35 as well. I paid it because I couldn't be bothered to fight, which I guess is exactly what they're counting on.",
  reply="V051")
P("V053", "reddit", "spree_commuter|spree_commuter|1980", "11d22h00m", "V", "neu question - en",
  "Did your end-of-ride photo show the street sign or the painted box? When I contested one last year that photo is what got it reversed. Also you can ask them for the raw GPS trace, under GDPR they have to hand over your data.",
  reply="V051")
P("V054", "reddit", "wandering_wedding", "10d09h00m", "V", "neg complaint legal en",
  "Yep, photo shows the Torstraße sign and the painted parking box. Sent it twice. They still won't budge, so I've filed a complaint with the Verbraucherzentrale Berlin and sent a GDPR request for the GPS logs. Not paying €35 for their GPS drift.",
  reply="V053")
P("V055", "reddit", "urban_ampelmann|urban_ampelmann|760", "11d10h00m", "V", "neu suggestion - en",
  "What they need is a buffer. If the end point is within ~10 m of a green zone, flag it for a human to look at instead of auto-fining. Other operators already do something like that and it would kill 90% of these threads.",
  reply="V051")
P("V056", "reddit", "voltcode_bonus|voltcode_bonus|1", "10d02h00m", "V", "neu spam - en",
  "forget the fine lol, use my referral code VR-FREE-RIDEZ for 30 free minutes + enter the Voltride €500 giveaway at volt-giveaway.example 🎁🎁",
  reply="V051")
P("V057", "reddit", "wandering_wedding", "6d05h00m", "V", "pos praise - en",
  "Update for anyone who finds this later: Voltride refunded the €35 today and the email actually admitted the Torstraße zone was drawn wrong on their side. Credit to whoever finally read my ticket properly. Withdrew the Verbraucherzentrale complaint.",
  reply="V054")

# r/escooters: Gen4
P("V058", "reddit", "thornbury_rides|thornbury_rides|3120", "9d18h00m", "V", "neu question - en",
  "Has anyone ridden Voltride's new Gen4 scooters yet?\n"
  "They just showed up around Malasaña in Madrid. Bigger wheels and what looks like a front suspension fork. Curious how they handle compared to the Gen3s before I commit to a monthly pass, especially braking on wet cobbles.",
  sub="escooters")
P("V059", "reddit", "skatepark_sol|skatepark_sol|540", "9d10h00m", "V", "pos praise - en",
  "Rode one in Paris yesterday and honestly the Gen4 is sick. Suspension just eats the cobbles, and the hill climb up to Montmartre is killer compared to the Gen3 wheezing along at 12 km/h.",
  reply="V058")
P("V060", "reddit", "rafa_on_wheels|rafa_on_wheels|880", "9d06h00m", "V", "neg complaint - en",
  "Gen3 brakes around me are mushy as hell and nobody seems to service them between charges. Haven't tried a Gen4 yet but I'd like to see them maintain the fleet they already have before I buy into the hype.",
  reply="V058")
P("V061", "reddit", "thornbury_rides", "8d19h00m", "V", "pos purchase - en",
  "Sold. Picked up the Madrid monthly pass this morning, will report back after a couple of weeks commuting on them.",
  reply="V059")
P("V062", "reddit", "velo_vera|velo_vera|1450", "8d15h00m", "V", "neu suggestion - en",
  "If a scooter's brakes feel off, hit 'report issue' before you ride, it takes it out of service. Voltride should really put that button on the unlock screen instead of burying it three menus deep though.",
  reply="V060")

# r/istanbul: is the pass worth it
P("V063", "reddit", "tarik_bosfor|tarik_bosfor|620", "7d20h00m", "V", "neu question - tr",
  "Voltride aylık paket Kadıköy–Moda arası için değer mi?\n"
  "Günde 2 kez 10-15 dk sürüyorum. Dakika başı ödemek mi daha mantıklı yoksa paket mi? Paket alanlar ne diyor, gizli bir ücret falan var mı?",
  sub="istanbul")
P("V064", "reddit", "seyma_kdk|seyma_kdk|310", "7d16h00m", "V", "pos praise - tr",
  "3 aydır paket kullanıyorum, kesinlikle değer. Ayda 600-700 TL civarı tasarruf ediyorum. Tek dikkat etmen gereken şey 30 dakikayı geçince dakika ücreti başlıyor.",
  reply="V063")
P("V065", "reddit", "ruzgar_e|ruzgar_e|150", "7d11h00m", "V", "neg complaint - tr",
  "Gizli ücret yok ama 'park cezası' var ve bence keyfi kesiyorlar. Moda'da park alanına bıraktığım halde 2 kere ceza yedim, itirazlarıma hâlâ cevap yok.",
  reply="V063")
P("V066", "reddit", "tarik_bosfor", "6d23h00m", "V", "pos purchase - tr",
  "Tamam ikna oldum, paketi aldım 😄 Park alanlarına da ekstra dikkat edeceğim, teşekkürler herkese.",
  reply="V064")

# r/Voltride: rides in Dubai never taken
P("V067", "reddit", "vapor_trail_88|vapor_trail_88|90", "5d15h00m", "V", "neg complaint privacy,churn en",
  "Charged for 3 rides in Dubai I never took - account compromised?\n"
  "I live in Berlin and haven't left the country since summer. This morning there are 3 rides in Dubai Marina in my history, €41 total, charged to my card. Never got a login alert or any 2FA prompt. The support bot keeps telling me to 'end my active ride'.\n\n"
  "I've removed my card and I'm deleting the app until someone explains how my account got used on another continent.",
  sub="Voltride")
P("V068", "reddit", "zoe_writes_code|zoe_writes_code|2600", "5d12h00m", "V", "neu question - en",
  "Did you reuse that password anywhere? Credential stuffing is the usual culprit. And does Settings > Security show any device you don't recognise?",
  reply="V067")
P("V069", "reddit", "vapor_trail_88", "5d09h00m", "V", "neg complaint privacy en",
  "Unique password from a manager. Security page shows a Samsung SM-A546 I've never owned, logged in 4 days ago. So yeah, somebody is in my account with my card attached and Voltride's only advice so far is 'clear your cache'.",
  reply="V068")
P("V070", "reddit", "yuki_tanaka_ber|yuki_tanaka_ber|410", "5d06h00m", "V", "neg suggestion - en",
  "Voltride really needs login notifications and proper 2FA. It's an app holding my card and every trip I've ever made, there's no excuse for password-only in 2026.",
  reply="V067")

# r/paris: student discount
P("V071", "reddit", "theo_marchand|theo_marchand|350", "4d18h00m", "V", "neu question - fr",
  "Réduction étudiante Voltride à Paris ?\n"
  "Je suis à la Sorbonne et j'ai vu qu'il y avait une offre étudiante à Berlin. Quelqu'un sait si ça existe ici aussi et comment on l'active ? L'appli ne me propose rien.",
  sub="paris")
P("V072", "reddit", "sophie_lemaire|sophie_lemaire|720", "4d12h00m", "V", "neu other - en",
  "It exists here too. You verify your university email under Profile > Offers and it shows up after that. I got 40% off the monthly pass with my Paris 1 address, took about a minute.",
  reply="V071")
P("V073", "reddit", "theo_marchand", "4d05h00m", "V", "pos purchase - fr",
  "Merci, ça marche ! Pass étudiant acheté, 17,99 € au lieu de 29,99 €. Je vais enfin arrêter de payer à la minute.",
  reply="V072")

# r/Voltride: pass renewed after cancelling
P("V074", "reddit", "stilllosing_money|stilllosing_money|45", "3d20h00m", "V", "neg complaint churn en",
  "Monthly pass auto-renewed 2 days AFTER I cancelled it\n"
  "Cancelled on the 28th because I'm done with Voltride, got the confirmation email (still have it). On the 30th they charged €29.99 for another month anyway. Opened a ticket, got 'we have forwarded your request'. Is there a phone number for this company or is it tickets all the way down?",
  sub="Voltride")
P("V075", "reddit", "rhea_p|rhea_p|1120", "3d14h00m", "V", "neg complaint - en",
  "Happened to me too in August. They did refund it eventually but it took 11 days and three tickets.",
  reply="V074")
P("V076", "reddit", "stilllosing_money", "3d02h00m", "V", "neg complaint legal en",
  "11 days for money they took after I cancelled is ridiculous. If it's not back by Friday I'm filing a chargeback with my bank and they can explain the cancellation email to Visa.",
  reply="V075")

P("V077", "reddit", "urbanism_nerd|urbanism_nerd|5400", "2d10h00m", "V", "neu other - en",
  "Madrid council votes to cap shared e-scooter fleets at 6,000 per operator from March\n"
  "Local press reported it this morning. Voltride, which runs roughly 8,500 scooters in Madrid, would have to cut about a third of its fleet. The council also wants operators to share anonymised trip data monthly. Curious whether Paris and Berlin follow.",
  sub="escooters")
P("V078", "reddit", "ride_deals_hub|ride_deals_hub|3", "1d16h00m", "V", "neu spam - en",
  "🔥 100% WORKING Voltride free pass generator 2026 🔥\n"
  "No survey, no human verification. Just enter your Voltride email and get 12 months of unlimited rides. Link in my profile. Tested in Berlin, Paris and Istanbul!!",
  sub="Voltride")

# ---------------------------------------------------------------- Mastodon
# Ulrike: odd rides in history -> account takeover -> asks for 2FA -> resolved
P("V079", "mastodon", "ulrikebrandt@chaos.social|Ulrike Brandt|1870", "11d13h00m", "V", "neu question - de",
  "Kurze Frage an @voltride@mastodon.social: In meiner Fahrtenliste tauchen zwei Fahrten in Paris vom letzten Donnerstag auf. Ich war an dem Tag in Leipzig. Ist das nur ein Anzeigefehler?")
P("V080", "mastodon", "ulrikebrandt@chaos.social", "10d18h00m", "V", "neg complaint privacy de",
  "Update: Kein Anzeigefehler. Jemand hat sich auf einem fremden Gerät in mein Konto eingeloggt, drei Fahrten in Paris gemacht und meine Kreditkarte belastet. Keine Login-Benachrichtigung, keine 2FA. Und wer sieht da eigentlich noch meinen kompletten Standortverlauf? @voltride@mastodon.social",
  reply="V079")
P("V081", "mastodon", "ulrikebrandt@chaos.social", "9d08h00m", "V", "neg suggestion - en",
  "For the English speakers asking: yes, my Voltride account was taken over. Everyone please use a unique password. And @voltride@mastodon.social, ship 2FA and new-device alerts already, an app with cards and location data shouldn't be password-only.",
  reply="V080")
P("V082", "mastodon", "ulrikebrandt@chaos.social", "6d14h00m", "V", "pos praise - de",
  "Voltride hat alles erstattet, das fremde Gerät gesperrt und mir schriftlich bestätigt, dass 2FA im Dezember kommt. Ordentlich gelöst, danke an das Support-Team. #Berlin #Datenschutz",
  reply="V081")

P("V083", "mastodon", "yagmurcelik@mastodon.social|Yağmur Çelik|310", "5d20h00m", "V", "pos praise - tr",
  "Güncelleme: Voltride'dan biri bizzat aradı, Beşiktaş'ta ölen scooter'ın 38 dakikalık ücretini iade etti ve pakete 1 ay hediye ekledi. Uygulamayı tekrar indirdim 😅 Kızgınlığım yarı yarıya geçti.")
P("V084", "mastodon", "theresa@norden.social|Theresa Vogt|420", "12d15h00m", "V", "neu other - de",
  "Warschauer Brücke heute Morgen: 14 Leih-Scooter quer über dem Gehweg, davon 6 von Voltride. Die Abstellflächen sind ja markiert, aber so richtig angekommen ist das noch nicht. #Berlin #Verkehrswende")
P("V085", "mastodon", "rasmus@fosstodon.org|Rasmus Lind|890", "11d05h00m", "V", "neu question - en",
  "Does @voltride@mastodon.social publish a GBFS feed or any public API? I'd like to add their Berlin parking zones to a small OpenStreetMap-based routing app I'm building. #OpenData #OSM")
P("V086", "mastodon", "sanaz@mastodon.online|Sanaz Ebrahimi|530", "10d11h00m", "V", "neu question - fa",
  "سلام @voltride@mastodon.social، میشه اشتراک ماهانه تهران رو با کارت بانکی خارجی هم پرداخت کرد؟ تازه از برلین برگشتم و حسابم اونجا هنوز فعاله.")
P("V087", "mastodon", "viktor@mastodon.social|Viktor Hahn|2300", "9d20h00m", "V", "neg complaint - en",
  "Ended my @voltride@mastodon.social ride inside a marked zone in Neukölln, took the photo, got a €10 'low-quality photo' penalty anyway. The photo was perfectly fine. At this point the parking photo is a lottery ticket where I only ever lose.")
P("V088", "mastodon", "rin@hachyderm.io|Rin Okada|760", "8d17h00m", "V", "pos praise - en",
  "Small thing, but @voltride@mastodon.social's new map shows protected bike lanes and painted-only lanes in different colours, and it has genuinely changed how I route across Paris. Lovely detail.")
P("V089", "mastodon", "wren@mas.to|Wren Ashby|340", "7d04h00m", "V", "neu question - en",
  "Question for Berlin folks: is the @voltride@mastodon.social monthly pass worth it if you only ride on weekdays? Trying to decide before my Deutschlandticket renews.")
P("V090", "mastodon", "shayan@mastodon.social|Shayan Moradi|450", "6d06h00m", "V", "neu suggestion - fa",
  "یه پیشنهاد برای @voltride@mastodon.social: خیلی از خیابون‌های تهران شیب تندی دارن. کاش اپ یه مسیر کم‌شیب‌تر هم پیشنهاد بده، مخصوصاً برای اسکوترهای قدیمی که سربالایی رو نمی‌کشن.")
P("V091", "mastodon", "roya_k@mastodon.online|Roya Karimi|210", "4d22h00m", "V", "pos purchase - fa",
  "اشتراک ماهانه دانشجویی @voltride@mastodon.social رو گرفتم. با این ترافیک مسیر ونک تا دانشگاه شریف، بهترین خرجی بود که این ماه کردم 🛴")
P("V092", "mastodon", "rewardsbot@mstdn.party|Rewards Bot 🎁|8", "3d09h00m", "V", "neu spam - en",
  "🎁 @voltride@mastodon.social GIVEAWAY 🎁 Boost this post + follow to win a 1-year unlimited pass! 20 winners picked Sunday. Verify your account at voltpass-winners.example to be eligible ✅ #Voltride #giveaway")
P("V093", "mastodon", "xavi@mastodon.social|Xavi Roca|620", "2d12h00m", "V", "pos purchase - es",
  "Me acabo de sacar el bono mensual de @voltride@mastodon.social en Madrid. Para mis trayectos cortos por Lavapiés ya me sale más a cuenta que ir pagando por minuto.")
P("V094", "mastodon", "tilde@chaos.social|Tilde Sørensen|980", "1d08h00m", "V", "neg complaint - en",
  "Three @voltride@mastodon.social scooters at Ostkreuz this morning: one with no QR sticker, one with a snapped bell, one that unlocked, refused to move and kept charging me anyway. Twelve minutes and €2.40 later I walked.")

# ---------------------------------------------------------------- Bluesky
P("V095", "bluesky", "streetlevelsam.bsky.social|Sam Okoro • Street Level Mobility|24100", "9d03h50m", "V", "neg complaint safety en", "", dup="V009")
P("V096", "bluesky", "ulrikebrandt.bsky.social|Ulrike Brandt|640", "5d18h00m", "V", "neu question - en",
  "Does anyone know whether Voltride's promised 2FA will cover every city, or only German accounts? Asking after my whole account-takeover saga last week.")
P("V097", "bluesky", "shirintavakoli.bsky.social|Shirin Tavakoli|210", "3d12h00m", "V", "neu question - fa",
  "کسی می‌دونه Voltride توی تهران اشتراک ماهانه برای دوچرخه برقی هم داره یا فقط برای اسکوتره؟")
P("V098", "bluesky", "rahelm.bsky.social|Rahel Mengistu|1320", "12d12h00m", "V", "pos praise - en",
  "Took a Voltride e-bike along the Spree from Treptow to Charlottenburg on Sunday and it was honestly lovely. Battery still at 60% at the end. Berlin in autumn, 10/10.")
P("V099", "bluesky", "tomkowalski.bsky.social|Tom Kowalski|480", "10d23h00m", "V", "neg complaint - en",
  "Voltride's 'parking zone' in front of my building is literally painted inside the bus stop. Every morning the M29 can't pull in because there are nine scooters in it. Reported it twice. Nothing.")
P("V100", "bluesky", "rumiyazdani.bsky.social|Rumi Yazdani|2900", "9d09h00m", "V", "neu question - fa",
  "از دوستان تهرانی کسی می‌دونه Voltride برای سفرهای شبانه بعد از ساعت ۱۱ تخفیف داره یا نه؟")
P("V101", "bluesky", "whitneyjo.bsky.social|Whitney Jo|150", "8d05h00m", "V", "neu question - en",
  "Visiting Istanbul next week. Can I use my Voltride account from Paris there, or do I have to sign up again with a Turkish number?")
P("V102", "bluesky", "yigitcan.bsky.social|Yiğit Can Arslan|670", "7d01h00m", "V", "pos praise - tr",
  "Üsküdar sahilde yeni Voltride e-bisikletlerini denedim, Çamlıca yokuşunu resmen uçarak çıkıyor. Killer bir makine 🔥 kaskınızı da unutmayın tabii")
P("V103", "bluesky", "ravisundaram.bsky.social|Ravi Sundaram|3400", "6d02h00m", "V", "pos purchase - en",
  "Our Friedrichshain office just signed up for Voltride's corporate plan: 25 seats, so the ride to the S-Bahn is covered now. Still cheaper than the two parking spaces we were renting.")
P("V104", "bluesky", "voltpass-free.bsky.social|Voltride Free Pass|2", "5d04h00m", "V", "neu spam - en",
  "🚨 Voltride is giving away 500 FREE annual passes to celebrate 5 years! 🚨 Today only, claim yours at voltride-anniversary.example and enter your card to verify your age ✅ #Voltride #Berlin #Paris")
P("V105", "bluesky", "umarosen.bsky.social|Uma Rosen|890", "4d15h00m", "V", "neg complaint - en",
  "Congrats to Voltride on the brand-new €1 'unlock fee' that showed up on my receipt today with zero announcement. Truly the gift that keeps on giving 🎁🙃")
P("V106", "bluesky", "reyhane.bsky.social|Reyhaneh Sadeghi|380", "3d19h00m", "V", "pos praise - fa",
  "از وقتی Voltride توی سعادت‌آباد ایستگاه زده، رفت‌وآمدم تا سر کار نصف شده. اسکوترها هم تمیزن و شارژشون همیشه پره 👌")
P("V107", "bluesky", "theberlinwire.bsky.social|The Berlin Wire|38400", "2d20h00m", "V", "neu other - en",
  "Berlin's Senate confirms fixed parking zones for shared e-scooters in every district inside the Ring by spring. Operators including Voltride, which runs about 7,000 scooters in the city, say they will comply.")
P("V108", "bluesky", "siminhosseini.bsky.social|Simin Hosseini|260", "1d22h00m", "V", "neu suggestion - fa",
  "کاش Voltride یه گزینه پرداخت با کیف پول داخل اپ هم اضافه کنه که آدم بتونه یه بار شارژش کنه و برای هر سفر کارت نکشه.")
P("V109", "bluesky", "vanessaortiz.bsky.social|Vanessa Ortiz|540", "1d03h00m", "V", "pos purchase - en",
  "Switched from pay-per-minute to the Voltride monthly pass in Paris today. Did the maths on October and I'd have saved €38. Should have done this ages ago.")
P("V110", "bluesky", "rowanpatel.bsky.social|Rowan Patel|210", "0d09h00m", "V", "neu question - en",
  "Is there a way to see how much CO2 my Voltride rides have saved? Saw a screenshot of a yearly summary from someone in Madrid but can't find it anywhere in my app.")
