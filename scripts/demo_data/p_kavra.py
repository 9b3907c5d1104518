"""Kavra Coffee demo posts (hand-written)."""
from build import P

# ---------------------------------------------------------------- X / Twitter
# Matt: loyalty points vanish after app update -> question -> sarcasm -> churn -> fixed
P("K001", "x", "mattcrowley_ldn|Matt Crowley|412", "12d08h14m", "K", "pos praise - en",
  "Kavra on Shoreditch High St does the best flat white in E1 and I will not be taking questions. Also one stamp off a free one 🙌 @KavraCoffee")
P("K002", "x", "mattcrowley_ldn", "9d03h40m", "K", "neu question - en",
  "@KavraCoffee hi — updated the app this morning and my points balance now says 0. Had 1,840 yesterday. Display bug or are they actually gone? Account email is matt.crowley@example.com if that helps")
P("K003", "x", "mattcrowley_ldn", "8d01h22m", "K", "neg complaint - en",
  "Day 2 of my 1,840 points being 'escalated to the relevant team'. Three DMs, three copy-paste replies. Really feeling the loyalty in this loyalty programme @KavraCoffee 🙃 #KavraApp",
  reply="K002")
P("K004", "x", "mattcrowley_ldn", "6d19h05m", "K", "neg complaint churn en",
  "Right, that's it. Deleted the Kavra app, cut up the card. Four years of points gone and nobody can even tell me why. The little Portuguese place by the station gets my £3.60 from now on. @KavraCoffee",
  reply="K003")
P("K005", "x", "kavrarewards_vip|Kavra Rewards 🎁|3", "6d12h31m", "K", "neu spam - en",
  "@mattcrowley_ldn 🎉 CONGRATS! You've been selected for a FREE £100 Kavra gift card to make up for your experience 🎉 Claim before midnight 👉 kavra-rewards-claim.example/win (limited slots!!)",
  reply="K004")
P("K006", "x", "mattcrowley_ldn", "3d10h30m", "K", "pos praise - en",
  "Credit where it's due: someone at @KavraCoffee actually rang me, points restored + 500 bonus for the hassle. App reinstalled, tail between legs 😅 Thanks Aisha ☕",
  reply="K004")

# İpek: Kadıköy regular -> missing delivery items -> sarcasm -> Tüketici Hakem Heyeti -> resolved
P("K008", "x", "ipeksahin_|İpek Şahin|845", "11d06h45m", "K", "pos praise - tr",
  "Kadıköy'deki @KavraCoffee şubesinde barista latte'nin üstüne kedi çizmiş 🐈☕ sabah sabah günümü güzelleştirdi, teşekkürler Emre! #Kadıköy")
P("K009", "x", "ipeksahin_", "9d09h40m", "K", "neg complaint - tr",
  "@KavraCoffee paket siparişimde 2 ürün eksik geldi ve uygulamadan kimse dönmüyor. Sipariş no: KV-448210, adres Example Sokak No:1 Daire 3 Kadıköy, tel 0555 000 00 00. Lütfen arayın artık 😤")
P("K010", "x", "ipeksahin_", "7d07h50m", "K", "neg complaint - tr",
  "Mobil sipariş 'hazır' bildirimi geldi, koşa koşa gittim, 25 dk daha bekledim. Mobile order'ın olayı neydi tam olarak? Harika sistem gerçekten @KavraCoffee 👏👏")
P("K011", "x", "ipeksahin_", "5d12h10m", "K", "neg complaint legal tr",
  "4 gündür eksik ürünlerin iadesini bekliyorum, DM'lere 'iletildi' deyip bırakıyorsunuz. Yarın Tüketici Hakem Heyeti'ne başvuru yapıyorum, bilginiz olsun @KavraCoffee",
  reply="K009")
P("K012", "x", "ipeksahin_", "2d14h25m", "K", "pos praise - tr",
  "Güncelleme: @KavraCoffee müşteri hizmetleri aradı, iade yapıldı + 1 haftalık kahve hediye etmişler 🙏 başvuruyu yapmıyorum. Kadıköy ekibine de selam, Emre'nin kedisi yine efsaneydi 🐈",
  reply="K011")

# Noor: food influencer, undeclared nuts
P("K013", "x", "nooreats|Noor Haddad 🍴 Noor Eats|184200", "6d04h15m", "K", "neg complaint safety en",
  "Had to use my EpiPen last night after a @KavraCoffee 'oat & date' cookie at Dubai Mall. Label says nut-free. Barista then told me they're baked on the same trays as the hazelnut ones. Undeclared nuts are not a small thing. Please pull it ⚠️")
P("K014", "x", "nooreats", "5d20h02m", "K", "neu other - en",
  "Thank you for all the messages 💛 I'm ok, home and resting. Kavra's team has reached out and I've sent them the batch details from the packaging. Will update once I hear more.",
  reply="K013")

# Özge: Istanbul city journalist
P("K016", "x", "ozgearslan_ist|Özge Arslan|23480", "10d02h00m", "K", "neu other - tr",
  "Kavra Coffee, İstanbul'daki 14. şubesini bu cumartesi Moda'da açıyor. Şirketin açıklamasına göre şubede küçük bir kavurma atölyesi de bulunacak ve 18 kişiye istihdam sağlanacak. #Kadıköy #kahve")
P("K018", "x", "kadikoyfoodie|Kadıköy Foodie|5400", "10d00h58m", "K", "neu other - tr", "", repost="K016")
P("K019", "x", "ozgearslan_ist", "1d15h20m", "K", "neu other - en",
  "Kavra Coffee says it will add cross-contact allergen labels in all stores across its 6 markets by January, after a Dubai customer's reaction to a cookie labelled nut-free drew wide attention last week. The product has been withdrawn in the UAE.")

P("K020", "x", "ilkay_dev|İlkay|203", "7d02h15m", "K", "neg complaint - tr",
  "@KavraCoffee app'te Apple Pay neden sürekli fail veriyor? checkout'ta sonsuz loading, 3 kere denedim, sonunda kasada ödedim. fix'leyin şunu lütfen 🙃")
P("K021", "x", "kaan_b|Kaan Bulut|58", "4d17h40m", "K", "neu question - en",
  "@KavraCoffee is the Karaköy store open late on Fridays? Google says 22:00, your app says 20:00 🤔")
P("K022", "x", "mervecoskun|Merve Coşkun|1290", "3d21h05m", "K", "pos praise - tr",
  "Kavra'nın yeni salepli latte'si var ya... ölürüm onun için 😭☕ tarçını da bol koyuyorlar, kışın en güzel şeyi #salep #kavra")
P("K023", "x", "mertaydn|Mert Aydın|340", "5d08h30m", "K", "neg complaint churn tr",
  "Kavra Pass aboneliğimi iptal ettim. Ayda 450 TL verip her sabah Beşiktaş'ta 15 dk kuyrukta beklemenin mantığı yok. Karşıdaki küçük kahveci hem daha ucuz hem daha hızlı. Hoşça kal @KavraCoffee")
P("K024", "x", "nazlicnr|Nazlı Çınar|77", "8d04h12m", "K", "neu purchase - tr",
  "@KavraCoffee merhaba, ofisimiz için yılbaşında 40 adet hediye kartı almak istiyoruz. Toplu alımda kurumsal fatura kesiyor musunuz? DM atabilirim")
P("K025", "x", "omidrz|Omid Rezaei|512", "6d15h48m", "K", "neg complaint privacy fa",
  "@KavraCoffee یکی با کارت بانکی من از اپ شما سه تا سفارش داده، همه‌ش شعبه ونک! من اصلاً اون طرفا نبودم. رمز اکانتم هم عوض شده و نمی‌تونم وارد شم. لطفاً سریع پیگیری کنید 😡")
P("K026", "x", "pegah_m|Pegah Moradi|1876", "12d03h10m", "K", "pos praise - fa",
  "کاورای تجریش امروز عصر خلوت و دنج بود، کیک هویجش هم حرف نداشت ☕️🍰 باریستاش هم کلی حوصله داشت برای توضیح دادن دونه‌ها #کاورا")
P("K027", "x", "parham_tt|Parham|44", "10d11h25m", "K", "neu question - fa",
  "@KavraCoffee سلام، امتیازهای باشگاه مشتریان تو شعبه‌های تهران هم حساب میشه یا فقط شعبه‌های خارج؟")
P("K028", "x", "pouria_gh|Pouria|231", "4d05h35m", "K", "neg complaint - fa",
  "@KavraCoffee salam, chera app-e Kavra too Tehran hamash error mide? 3 bar sefaresh dadam har 3 ta cancel shod vali pool az hesabam kam shode 😤 javab bedin lotfan")
P("K029", "x", "lucia_mrtnz|Lucía Martínez|688", "3d06h50m", "K", "neg complaint legal es",
  "@KavraCoffee llevo 12 días esperando el reembolso de un pedido a domicilio que nunca llegó (Malasaña). Si el lunes no tengo respuesta pongo una reclamación en la OMIC y pido la devolución al banco. Qué vergüenza de atención.")
P("K030", "x", "pablo_ruiz_mad|Pablo Ruiz|129", "9d07h05m", "K", "pos praise - es",
  "El cortado de Kavra en Chamberí está sorprendentemente bueno para ser una cadena. Y el barista ya se sabe mi nombre, ojo ☕😌")
P("K031", "x", "majid_alq|Majid Al Qasimi|940", "11d14h30m", "K", "neu question - ar",
  "@KavraCoffee متى بتفتحون فرع في الشارقة؟ فرع دبي مول دايماً زحمة 😅")
P("K032", "x", "mariam_dxb|Mariam|2210", "2d11h15m", "K", "pos praise - ar",
  "جربت Kavra في جميرا اليوم، القهوة المختصة عندهم رهيبة والموظفين قمة في الذوق ☕️ أنصح فيه")
P("K033", "x", "jade_writes|Jade Okafor|1580", "6d02h10m", "K", "neg complaint - en",
  "Waited 42 minutes for a 'quick' mobile order at Kavra Canary Wharf. Truly the fastest coffee in town @KavraCoffee 👏👏 #MondayMood")
P("K034", "x", "liamfoster|Liam Foster|312", "2d03h25m", "K", "neg complaint safety,legal en",
  "The lid on my @KavraCoffee americano popped off at the counter at Liverpool St and I've got a proper burn across my hand, blistered, ended up at urgent care. Staff said that lid batch 'keeps doing it'. Photos kept, speaking to a solicitor Monday.")
P("K035", "x", "ollie_rdg|Ollie|67", "1d04h20m", "K", "pos praise - en",
  "kavra's new cold brew is actually fire 🔥 how is it this smooth. dangerous levels of smooth")
P("K036", "x", "priya_codes|Priya N.|2890", "9d01h30m", "K", "neu suggestion - en",
  "@KavraCoffee feature request: a 'my usual' button. I order the exact same oat cortado every weekday and it's 6 taps + a promo pop-up every time 😅 one-tap reorder pls")
P("K037", "x", "pravin_k|Pravin K|140", "8d22h10m", "K", "neu suggestion - en", "", repost="K036")
P("K038", "x", "isla_mcd|Isla MacDonald|154", "5d05h50m", "K", "neu question - en",
  "@KavraCoffee is decaf available on mobile order? I can only find it on the in-store menu, or am I blind")
P("K039", "x", "noah_bk|Noah B|23", "0d19h40m", "K", "pos purchase - en",
  "just renewed my kavra pass for another year. my personality is 40% oat flat white at this point and the other 60% is waiting for the next one")
P("K040", "x", "jamie_t|Jamie Tran|845", "7d03h30m", "K", "pos purchase - en",
  "Signed the whole team up to the Kavra Pass office plan 🎉 12 people, unlimited filter coffee, one invoice. Finance will either love me or hate me @KavraCoffee")
P("K041", "x", "oscar_pell|Oscar Pell|480", "10d05h15m", "K", "neu purchase - en",
  "@KavraCoffee who's the right person to talk to about franchising in Manchester? I've got a site lined up near Piccadilly and would love to open before summer.")
P("K042", "x", "keira_j|Keira J|1034", "4d08h20m", "K", "neg complaint - en",
  "Hi @KavraCoffee, I hate to be that person but the last three almond croissants I've had at your Angel store have been a bit stale. Not the end of the world, just thought you'd want to know 🙂")
P("K043", "x", "imran_h|Imran Hussain|389", "5d03h05m", "K", "neg complaint - en",
  "£4.85 for a medium oat latte at Kavra now. It was £3.90 in January. What exactly changed apart from the cup design? @KavraCoffee")
P("K044", "x", "moonpump_bot|MOON 🚀 Signals|1204", "7d14h00m", "K", "neu spam - en",
  "$KAVRA token launching NOW 🚀☕ first 1000 wallets get 5x airdrop 💰 coffee x web3 is the next 100x. NFA. kavra-coin.example #crypto #airdrop #KavraCoffee")
P("K045", "x", "lisa_growth|Lisa • Growth Hacker|88", "3d13h45m", "K", "pos spam - en",
  "Love how @KavraCoffee engages its community!! 💯☕ Want 10K real followers like the big brands? DM me, packages from $9.99 📈🔥 #growth #marketing")
P("K046", "x", "jessy_deals4u|Jessy|15", "1d09h30m", "K", "neu spam - en",
  "Kavra 100% OFF code still working 😱🔥 only today ➡️ free-kavra-codes.example 👀 #KavraCoffee #freecoffee #deals")
P("K047", "x", "nkemi_a|Nkemi A.|1760", "11d03h20m", "K", "pos praise - en",
  "Shoutout to the Kavra Brixton crew who let me sit with my laptop for 4 hours on one filter coffee and still topped it up for free. Community spaces matter ❤️ @KavraCoffee")
P("K048", "x", "ifeoma_ldn|Ifeoma|310", "11d01h05m", "K", "pos praise - en", "", repost="K047")
P("K049", "x", "orla_byrne|Orla Byrne|402", "2d06h35m", "K", "neu question - en",
  "Does the @KavraCoffee app let you split a group order and pay separately? Organising coffees for a 15-person offsite and I am not fronting £70 on my card again")
P("K050", "x", "joel_m|Joel M.|61", "4d01h10m", "K", "neu other - en",
  "Overheard at Kavra just now: 'can I get a flat white but make it tall.' Barista didn't even blink. Respect.")
P("K051", "x", "keisha_r|Keisha|233", "0d03h25m", "K", "neg complaint - en",
  "Kavra delivery: latte arrived lukewarm and about a third of it was in the bag. 'Spill-proof packaging' they said 📦☕ love that for me @KavraCoffee")
P("K052", "x", "pete_lowry|Pete Lowry|720", "6d08h40m", "K", "neu suggestion - en",
  "@KavraCoffee would be great if the bring-your-own-cup discount you do in Madrid also applied in London and Berlin. Would make it a lot easier to ditch the paper cups ♻️")
P("K053", "x", "ivy_ldn|Ivy|19", "1d22h10m", "K", "pos purchase - en",
  "Birthday gift card for my sister sorted through the @KavraCoffee app in about 30 seconds 🎁☕ she's going to spend it all on cardamom buns and I respect that")
P("K054", "x", "jonas_bln|Jonas Becker|310", "5d10h25m", "K", "neg complaint - de",
  "@KavraCoffee Warum kostet Hafermilch in Berlin 0,60 € extra, in Madrid aber nichts? Bei 4,90 € für einen Flat White finde ich das ehrlich gesagt schon happig.")
P("K055", "x", "louise_moreau|Louise Moreau|512", "8d09h00m", "K", "neu question - fr",
  "Quand est-ce que @KavraCoffee ouvre à Paris ? Londres, Berlin, Madrid… et nous alors ? 🥐☕")

# ---------------------------------------------------------------- Mastodon
P("K017", "mastodon", "ozgearslan@mastodon.social|Özge Arslan|2140", "10d01h36m", "K", "neu other - tr", "", dup="K016")
# Parisa: app shows someone else's orders -> question -> still no answer -> transparent fix
P("K056", "mastodon", "parisa_k@mastodon.online|Parisa Kazemi|612", "9d15h20m", "K", "neg complaint privacy fa",
  "امروز اپ کاورا رو باز کردم، تو بخش «سفارش‌های من» سفارش‌های یه نفر دیگه رو می‌بینم! با اسم کامل، شماره و آدرس خونه‌ش تو سعادت‌آباد 😳 یعنی الان یکی دیگه هم داره آدرس منو می‌بینه؟ @kavra@mastodon.social #حریم_خصوصی")
P("K057", "mastodon", "parisa_k@mastodon.online", "9d14h05m", "K", "neg question - fa",
  "کسی دیگه هم این مشکل رو داره؟ از اکانت خارج شدم و دوباره وارد شدم، درست نشد. الان باید کارت بانکیمو از اپ حذف کنم یا فایده نداره؟",
  reply="K056")
P("K058", "mastodon", "parisa_k@mastodon.online", "7d10h30m", "K", "neg complaint privacy fa",
  "دو روز گذشته و کاورا فقط یه جواب کلی داده: «در حال بررسی هستیم». نه ایمیلی، نه توضیحی که اطلاعات چند نفر لو رفته. واقعاً این رفتار با اطلاعات مشتری قابل قبول نیست. @kavra@mastodon.social",
  reply="K057")
P("K059", "mastodon", "parisa_k@mastodon.online", "3d16h45m", "K", "pos praise - fa",
  "خب، کاورا بالاخره توضیح درست و حسابی داد: یه باگ کش سرور بوده، حدود ۴۰ دقیقه طول کشیده و به همه کاربرای آسیب‌دیده ایمیل زدن. آپدیت جدید رو نصب کردم و مشکل حل شده. ممنون که شفاف توضیح دادید 🙏",
  reply="K058")
P("K060", "mastodon", "lenakrause@chaos.social|Lena Krause|845", "6d06h30m", "K", "neg complaint churn de",
  "Kündige gerade mein Kavra-Abo. 29 € im Monat, und seit drei Wochen ist die Siebträgermaschine in der Filiale Friedrichshain „leider kaputt“. Dann eben wieder Filterkaffee vom Späti ☕🙄 @kavra@mastodon.social")
P("K062", "mastodon", "koray@mastodon.social|Koray Demir|190", "12d05h40m", "K", "neu suggestion - en",
  "Nice to see @kavra@mastodon.social on the fediverse 👋 One suggestion: print the recycling info on the cups or in the app. In the Istanbul stores I never know if the lids go in plastic or general waste.")
P("K063", "mastodon", "ines@mastodon.online|Inés Navarro|274", "8d03h15m", "K", "neu suggestion - es",
  "Sugerencia para @kavra@mastodon.social: ¿una versión sin azúcar del chai de invierno? Está rico, pero es prácticamente jarabe. Con un chai especiado de verdad me ganáis para siempre.")
P("K064", "mastodon", "jakob@norden.social|Jakob|133", "2d19h30m", "K", "neu question - en",
  "Heard the Kavra roastery in Berlin does free cuppings on Saturdays. Anyone know if you need to book or can you just turn up? @kavra@mastodon.social #coffee #berlin")
P("K065", "mastodon", "pauline@piaille.fr|Pauline|380", "9d18h20m", "K", "pos praise - fr",
  "Testé Kavra à Londres pendant un déplacement : flat white très correct, appli pratique, et une équipe adorable à 7h du matin. Je comprends l'engouement. Vivement Paris ?")
P("K066", "mastodon", "quentin@mamot.fr|Quentin|410", "7d05h05m", "K", "neg complaint - en",
  "Why does the @kavra@mastodon.social app need 'always on' location permission to order a coffee? Denied it and now it won't show me any stores at all. Not great.")
P("K067", "mastodon", "nilufar@mastodon.social|Nilufar|88", "11d09h10m", "K", "neu purchase - fa",
  "کسی می‌دونه دونه‌های قهوه کاورا رو میشه آنلاین خرید و فرستاد شیراز؟ اینجا شعبه ندارن و من معتاد اسپرسوشون شدم 🫘")
P("K068", "mastodon", "oskar@hachyderm.io|Oskar Lind|1620", "5d15h10m", "K", "neu suggestion - en",
  "Small request for @kavra@mastodon.social: an SMS option for 'order ready' notifications. Push doesn't work on de-Googled Android phones, so I just hover by the counter like a seagull. Happy to beta test.")
P("K069", "mastodon", "matteo@mastodon.uno|Matteo|57", "4d03h25m", "K", "neu question - en",
  "Does every Kavra in Madrid play the same playlist? Heard some glorious Italian disco at 8am in Chamberí and I need the name of that track 🕺 @kavra@mastodon.social")
P("K070", "mastodon", "promo_pixie@mstdn.social|Promo Pixie|9", "2d01h15m", "K", "neu spam - en",
  "☕ Kavra lovers!!! Free coffee for a WHOLE YEAR 🎁 just answer 3 quick questions 👉 kavra-survey-gift.example #coffee #kavra #free #giveaway")
P("K071", "mastodon", "ilkin@mastodon.social|Ilkin|340", "10d06h40m", "K", "neu question - en",
  "Is Kavra's 'ethically sourced' label certified by anyone, or is it in-house? Couldn't find an audit or a certification body on the website. @kavra@mastodon.social")
P("K072", "mastodon", "pinar@mastodon.social|Pınar Ateş|205", "7d20h30m", "K", "pos praise - tr",
  "Moda'daki yeni Kavra'ya uğradım, kavurma atölyesini camdan izlemek çok keyifli. Filtre kahve de gayet iyiydi, barista Etiyopya çekirdeğini anlata anlata bitiremedi ☕ #Kadıköy")

# ---------------------------------------------------------------- Bluesky
P("K007", "bluesky", "mattcrowley.bsky.social|Matt Crowley|96", "8d05h50m", "K", "neg complaint - en",
  "anyone else on here had their kavra loyalty points wiped by the new app update? mine went from 1,840 to zero overnight and support is a maze of 'we've escalated this'. asking before i lose my mind")
P("K015", "bluesky", "nooreats.bsky.social|Noor Haddad 🍴 Noor Eats|31400", "2d08h20m", "K", "neu other - en",
  "update for the bsky crowd since a few of you asked: kavra called, the oat & date cookie is off the menu in all UAE stores and they're redoing allergen labels incl. shared-tray warnings. friends with allergies, always ask about shared equipment 🥜")
P("K061", "bluesky", "lenakrause.bsky.social|Lena Krause|1203", "1d02h50m", "K", "neg complaint - en",
  "kavra friedrichshain machine update: still broken, week 4. at this point it's a decorative sculpture 🗿")
P("K073", "bluesky", "julesarmitage.bsky.social|Jules Armitage|412", "4d04h40m", "K", "neg complaint safety en",
  "found a small shard of glass in my kavra cinnamon bun this morning (waterloo station). didn't swallow it, thank god. staff were shocked and kind, but this really needs investigating @kavracoffee.bsky.social")
P("K074", "bluesky", "minajafari.bsky.social|Mina Jafari|540", "6d21h20m", "K", "neu question - fa",
  "کاورای لندن کیک زعفرونی داره؟ 😍 دلم برای کافه‌های تهران یه ذره شده")
P("K075", "bluesky", "nadiakhan.bsky.social|Nadia Khan|2300", "3d08h05m", "K", "pos praise - en",
  "kavra's winter menu is genuinely good?? the cardamom bun + salep latte combo is doing things to me ☕✨")
P("K076", "bluesky", "leodraws.bsky.social|Leo|7800", "5d23h30m", "K", "pos purchase - en",
  "does kavra sell the cat cup sleeves or any merch anywhere? drew the sleeve cat for fun and now i need a tote bag of him. @kavracoffee.bsky.social take my money 🐈")
P("K077", "bluesky", "iremtekin.bsky.social|İrem Tekin|660", "3d06h10m", "K", "neg complaint - tr",
  "Kavra uygulaması yine tam sabah 8:30'da çöktü. Her gün aynı saatte çökmesi artık bir gelenek, neredeyse saatimi ona göre ayarlıyorum 🙃 @kavracoffee.bsky.social")
P("K078", "bluesky", "ozanbilgin.bsky.social|Ozan Bilgin|130", "9d12h00m", "K", "neu purchase - tr",
  "Kavra'nın çekirdek kahvelerini internetten sipariş edebiliyor muyuz? Evde V60 için Etiyopya olanı istiyorum, şubeye gitmeye üşeniyorum açıkçası ☕")
P("K079", "bluesky", "jonahreed.bsky.social|Jonah Reed|58", "5d06h15m", "K", "neg complaint - en",
  "the card reader at kavra kings cross has been 'contactless broken, chip only' for a week. chip also broken. so it's cash only. in 2026. bold strategy @kavracoffee.bsky.social")
P("K080", "bluesky", "mayaplants.bsky.social|Maya|910", "8d07h30m", "K", "neu suggestion - en",
  "kavra should do a grounds-for-compost thing like some of the indie places. i'd happily take a bag of used grounds home every week for my tomatoes 🌱 @kavracoffee.bsky.social")
P("K081", "bluesky", "nftperks.bsky.social|NFT Perks ☕|0", "1d06h05m", "K", "neu spam - en",
  "☕ Kavra Coffee x NFT Perks drop is LIVE 🔥 mint your lifetime loyalty pass before they're gone, only 500 left 👉 kavra-nft-pass.example #Kavra #NFT")
P("K082", "bluesky", "quinnlowe.bsky.social|Quinn|204", "0d05h10m", "K", "pos purchase - en",
  "bought a kavra gift card for my barista friend's secret santa which is either very thoughtful or deeply insulting. we'll find out on the 19th")
P("K083", "bluesky", "ilyasm.bsky.social|Ilyas M.|75", "4d11h35m", "K", "neu question - en",
  "does kavra dubai deliver to jlt or only downtown/marina? app says 'outside delivery area' but there's a store like 10 min away")
P("K084", "bluesky", "kiraoneill.bsky.social|Kira O'Neill|1450", "0d12h20m", "K", "pos praise - en",
  "i would genuinely commit crimes for a kavra cardamom bun right now. it's 23:40. nothing is open. pain.")
P("K085", "bluesky", "nedwhitaker.bsky.social|Ned Whitaker|312", "7d12h45m", "K", "pos praise - en",
  "ok kavra's decaf is the first decaf that doesn't taste like sad cardboard. credit where it's due ☕")
P("K086", "bluesky", "pooya.bsky.social|Pooya|189", "10d09h50m", "K", "neg complaint - fa",
  "Kavra-ye London vaghean ghahve-ye khoobi dare, vali chera enghadr geroone? 5 pound baraye ye latte kochik? 😅 too Tehran ba in pool mishe 3 ta khord")

# ---------------------------------------------------------------- Reddit
# r/KavraCoffee: points wiped thread
P("K087", "reddit", "lowkey_latte|lowkey_latte|1420", "9d05h10m", "K", "neg complaint - en",
  "Loyalty points wiped after the 5.2 app update?\nOpened the app this morning and my balance says 0. Had ~2,300 points saved up to redeem for a bag of beans. Support chat just loops me back to the FAQ article about 'points may take 24h to appear'. They didn't need to appear, they were already there?? Anyone else?",
  sub="KavraCoffee")
P("K088", "reddit", "quietroaster|quietroaster|5870", "9d03h55m", "K", "neg complaint - en",
  "Same here. 1,100 gone, London. Logged out and back in, reinstalled, nothing. Filed a ticket, got an auto-reply.",
  reply="K087")
P("K089", "reddit", "pixel_and_crema|pixel_and_crema|312", "8d20h40m", "K", "neg complaint privacy,churn en",
  "Mine wasn't a bug. Someone logged into my account and spent 4,000 points on drinks in Dubai. I live in Berlin. Got a 'thanks for your order!' email for six iced lattes I never ordered. Changed my password, removed my card, and I'm done with the app. Back to the bakery downstairs.",
  reply="K087")
P("K090", "reddit", "promo_kingz|promo_kingz|1", "8d11h30m", "K", "neu spam - en",
  "Get 500 free Kavra points instantly 👉 kavrapoints-generator.example 100% working, no survey, no verification!!! worked for me",
  reply="K087")
P("K091", "reddit", "lowkey_latte", "3d08h40m", "K", "neu other - en",
  "Update for anyone landing here from Google: 5.2.1 restored my points (plus 200 bonus). Update the app, then pull down to refresh on the rewards tab. u/pixel_and_crema hope yours got sorted too, that's a different beast.",
  reply="K087")

# r/KavraCoffee: jo's Kavra Pass saga
P("K092", "reddit", "jo_nightshift|jo_nightshift|640", "13d02h20m", "K", "neu question - en",
  "Can you pause Kavra Pass instead of cancelling?\nGoing on a 6-week nursing placement up north where there's no Kavra. Don't want to lose my founding-member price. Settings > Subscription just says 'manage on web' and I can't find a pause option on the website. Anyone done this?",
  sub="KavraCoffee")
P("K093", "reddit", "mocha_mod|mocha_mod|9120", "12d23h05m", "K", "neu other - en",
  "Account > Plans > scroll right to the bottom, small grey link 'Pause or end plan'. Pause goes up to 8 weeks and keeps your price. Took me ages to find too.",
  reply="K092")
P("K094", "reddit", "jo_nightshift", "4d06h30m", "K", "neg complaint legal,churn en",
  "Kavra Pass charged me £24.99 while my plan was PAUSED\nPaused 12 days ago (have the confirmation email + screenshot), charged yesterday anyway. Support says 'pauses take effect from the next billing cycle', which is not what the page said. If it's not refunded by Friday I'm doing a chargeback through my bank. And I'm cancelling the whole thing, founding price or not.",
  sub="KavraCoffee")
P("K095", "reddit", "lowkey_latte", "4d02h15m", "K", "neu question - en",
  "Was that the monthly plan? Mine renews next week and I was about to pause too. Should I screenshot everything now?",
  reply="K094")
P("K096", "reddit", "jo_nightshift", "0d22h30m", "K", "pos praise - en",
  "Update: fully refunded and the pause is showing properly now. Someone from Kavra's support team saw this thread and sorted it within a day. Thank you, genuinely. (u/lowkey_latte yes, screenshot anyway!)",
  reply="K094")

# r/Coffee: single-origin thread
P("K097", "reddit", "quietroaster", "12d10h30m", "K", "neu question - en",
  "Is Kavra's new single-origin line actually decent or just chain marketing?\nThey've started selling 'Kavra Origins' bags in the London shops. £14 for 250g of a washed Yirgacheffe, roast date 3 weeks before I saw it on the shelf. Anyone brewed it at home? Worth it vs. a local roaster?",
  sub="Coffee")
P("K098", "reddit", "moka_pot_margo|moka_pot_margo|2210", "12d06h10m", "K", "neg complaint - en",
  "Tried the Huila. Perfectly fine, nothing special, and the roast date on mine was over a month old. Not worth £14 imo.",
  reply="K097")
P("K099", "reddit", "nordic_pourover|nordic_pourover|760", "12d01h45m", "K", "pos praise - en",
  "The bags from their Berlin roastery are a different story honestly. Roasted on site, usually dated within the week, and the Kenyan one was one of the best things I brewed this year.",
  reply="K097")
P("K100", "reddit", "quietroaster", "11d20h00m", "K", "neu purchase - en",
  "Ooh. Do they ship the Berlin roastery bags to the UK? Would happily order a couple to try.",
  reply="K099")

# r/istanbul
P("K101", "reddit", "kadikoylu_kedi|kadikoylu_kedi|880", "7d22h10m", "K", "neu question - tr",
  "Kavra Moda şubesi açıldı, giden var mı?\nRoastery kısmı gerçekten çalışıyor mu yoksa vitrin mi? Hafta sonu laptop'la gidip çalışmayı düşünüyorum, oturacak yer ve priz var mı?",
  sub="istanbul")
P("K102", "reddit", "metin_ist|metin_ist|430", "6d09h20m", "K", "neg complaint - tr",
  "Dün gittim. Roastery çalışıyor, cumartesileri cupping de varmış. Ama fiyatlar ciddi abartı, filtre kahve 140 TL, yanına bir kurabiye aldım 300'ü geçti 😬",
  reply="K101")
P("K103", "reddit", "nehir_y|nehir_y|95", "6d04h30m", "K", "neu question - en",
  "Does anyone know if it's dog friendly? Want to bring my pup on a weekday morning 🐶",
  reply="K101")

# r/tehran
P("K104", "reddit", "kooshan_91|kooshan_91|350", "10d08h15m", "K", "neu question - fa",
  "کسی کاورای ونک رفته؟\nشنیدم شعبه جدید زدن. قیمتاش چطوره؟ اسپرسوش واقعاً ارزش داره یا فقط اسمش خارجیه؟",
  sub="tehran")
P("K105", "reddit", "mahsa_tehran|mahsa_tehran|1240", "10d04h50m", "K", "neg complaint - fa",
  "رفتم، اسپرسوش بد نیست ولی یه لاته ساده ۱۸۵ تومنه 😐 برای هر روز اصلاً نمی‌صرفه. فضاش هم خیلی شلوغ و پر سر و صداست.",
  reply="K104")
P("K106", "reddit", "nima_rz|nima_rz|77", "9d22h30m", "K", "pos praise - fa",
  "من عاشق کیک هویجشونم 😍 باریستاهاش هم خیلی خوش‌برخوردن. فقط پنجشنبه عصرها شلوغه، صبح برید.",
  reply="K104")
P("K107", "reddit", "kooshan_91", "9d19h40m", "K", "neu question - fa",
  "مرسی! ساعت کاریش تا کیه؟ جمعه‌ها هم بازه؟",
  reply="K106")

# r/berlin
P("K108", "reddit", "lukas_fhain|lukas_fhain|540", "3d02h05m", "K", "neg complaint safety en",
  "Anyone else get sick after Kavra's chicken pesto sandwich (Warschauer Str.)?\nHad it for lunch on Tuesday, spent Tuesday night and all of Wednesday throwing up. My colleague had the same sandwich the same day and has the same symptoms. Told the store, they offered a €10 voucher and that's it. Is there someone official I should report this to?",
  sub="berlin")
P("K109", "reddit", "paula_b_berlin|paula_b_berlin|2030", "2d23h40m", "K", "neu other - de",
  "Gute Besserung erstmal! Melde das bei der Lebensmittelüberwachung vom Bezirksamt Friedrichshain-Kreuzberg, die nehmen sowas ernst. Und heb die Quittung auf.",
  reply="K108")

# r/KavraCoffee misc
P("K110", "reddit", "oakwood_ventures|oakwood_ventures|45", "5d18h30m", "K", "neu purchase - en",
  "Kavra franchise in the Gulf, anyone know the requirements?\nWe run three cafés in Muscat and are seriously interested in opening a Kavra. Does anyone know the minimum investment, or whether they franchise at all vs. only company-owned stores? Any pointers to the right contact appreciated.",
  sub="KavraCoffee")
P("K111", "reddit", "mocha_mod", "5d14h00m", "K", "neu other - en",
  "From what I've seen, the Gulf stores go through a master franchisee based in Dubai, not Kavra directly. The 'Partners' page at the bottom of their website has a separate form for the GCC.",
  reply="K110")
P("K112", "reddit", "lucky_bean_giveaway|lucky_bean_giveaway|2", "6d17h20m", "K", "neu spam - en",
  "🎁 KAVRA $500 GIFT CARD GIVEAWAY 🎁\nComment your favourite Kavra drink below + enter your details at kavra-giveaway-2026.example to win!! 5 winners announced Friday. FREE COFFEE ☕☕☕",
  sub="KavraCoffee")
P("K113", "reddit", "nettle_tea_nat|nettle_tea_nat|410", "7d16h10m", "K", "neu suggestion - en",
  "Suggestion: let us donate loyalty points to the 'pay it forward' coffee board\nThe Berlin and London stores have the suspended coffee board by the till. Would be lovely if we could convert, say, 300 points into a suspended coffee from the app. I have thousands of points I'll never use.",
  sub="KavraCoffee")
P("K114", "reddit", "mocha_mod", "7d11h25m", "K", "neu suggestion - en",
  "Seconding this. They could even match it 1:1 over the winter months. Upvoting so the social team sees it.",
  reply="K113")
P("K115", "reddit", "ilya_grinds|ilya_grinds|990", "1d12h30m", "K", "pos purchase - en",
  "Where can I buy the Origins espresso blend in Dubai?\nHad it in London last month and it's so good it should honestly be illegal. Asked at Dubai Mall and they said maybe next month. Is there an online shop that delivers to the UAE?",
  sub="KavraCoffee")
