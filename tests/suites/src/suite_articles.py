# ruff: noqa: E501 - article bodies read better unwrapped
"""The six suite articles in the five non-English languages (English ones: suite_common.py).

Each is a translation of the English article written for the suites, so that a comment can be
judged against an article in its own language (the usual case on a multi-edition site) and,
for a share of the relevance cases, against the English one (cross-lingual).
"""

from suite_common import Article

LOCAL_ARTICLES: dict[str, dict[str, Article]] = {
    "ckb": {
        "drone": Article(
            "درۆن بنکەکانی نزیک فڕۆکەخانەی هەولێر و ئەنبار دەکاتە ئامانج",
            "دوو درۆنی بۆمبڕێژکراو درەنگانی شەوی سێشەممە لە نزیک بنکەیەکی هێزەکانی هاوپەیمانی نێودەوڵەتی لە فڕۆکەخانەی هەولێر کەوتن، بەپێی دەزگای دژەتیرۆری هەرێمی کوردستان. درۆنێکی سێیەم بنکەی عەین ئەسەدی لە پارێزگای ئەنبار پێکا. لە هەولێر هیچ قوربانییەک نەبوو و لە ئەنبار بەڵێندەرێک بە سووکی بریندار بوو. حکومەتی هەرێم هێرشەکانی شەرمەزار کرد و داوای لە بەغدا کرد لێپرسینەوە لەگەڵ بکەرەکان بکات.",
            "ckb",
        ),
        "election": Article(
            "هەڵبژاردنی پەرلەمانی کوردستان بۆ مانگی تشرینی یەکەم دیاری کرا",
            "کۆمسیۆنی باڵای سەربەخۆی هەڵبژاردنەکان ڕایگەیاند کە هەڵبژاردنی پەرلەمانی کوردستان دوای دوو جار دواخستن لە ٢٠ی تشرینی یەکەم بەڕێوە دەچێت. پارتەکان دەبێ لە ماوەی شەش هەفتەدا لیستی کاندیدەکانیان پێشکەش بکەن. ژمارەی کورسییەکانی کۆتای پێکهاتەکان، لەوانە مەسیحی و تورکمان و ئەرمەن، دوای بڕیارێکی دادگای فیدراڵی هێشتا جێگەی ناکۆکییە.",
            "ckb",
        ),
        "budget": Article(
            "هەولێر و بەغدا هێشتا لەسەر مووچە و داهاتی نەوت ڕێک نەکەوتوون",
            "گفتوگۆکانی نێوان حکومەتی هەرێمی کوردستان و حکومەتی فیدراڵ لە بەغدا ڕۆژی یەکشەممە بەبێ ڕێککەوتن لەسەر پشکی هەرێم لە بودجەی فیدراڵ کۆتایی هات. فەرمانبەرانی هەرێم دوو مانگە مووچەیان وەرنەگرتووە. بەغدا پێداگرە لەسەر ئەوەی هەموو هەناردەی نەوت لە ڕێگەی کۆمپانیای سۆمۆوە بێت.",
            "ckb",
        ),
        "drought": Article(
            "ئاوی دەریاچەی دوکان بۆ نزمترین ئاست لە چەند دەیەی ڕابردوودا دابەزی",
            "بەپێی وەزارەتی سەرچاوە ئاوییەکانی هەرێم، ئاوی دەریاچەی دوکان دوای سێیەم زستانی وشک و کەمبوونەوەی ئاو لە بەنداوەکانی ئێران و تورکیاوە بۆ نزمترین ئاستی زیاتر لە سی ساڵ دابەزیوە. جووتیارانی دەشتی شارەزوور دەڵێن بەرهەمی گەنمیان لەناوچووە و بەرپرسان داوا لە خەڵک دەکەن بەکارهێنانی ئاو کەم بکەنەوە.",
            "ckb",
        ),
        "football": Article(
            "هەولێر لە دێربییەکی گەرمدا بە ٢-١ دهۆکی بردەوە",
            "یانەی هەولێر ڕۆژی هەینی لە یاریگای پڕ لە هاندەری فرانسۆ هەریری لە خولی ئەستێرەکانی عێراق دوای ئەوەی دواکەوتبوو بە ٢-١ دهۆکی بردەوە. دهۆک لە نیوەی یەکەمدا بە پەنالتییەک پێشکەوت، پاشان سەرێک و لێدانێکی ئازادی درەنگ ئەنجامەکەیان گۆڕی. دادوەر دوو کارتی سووری دەرهێنا و یارییەکە دە خولەک ڕاگیرا دوای ئەوەی هاندەران بوتڵیان فڕێدایە ناو یاریگاکە.",
            "ckb",
        ),
        "festival": Article(
            "فێستیڤاڵی گەلاوێژ لە سلێمانی بە شیعر و مۆسیقا و فیلم دەستی پێکرد",
            "فێستیڤاڵی ساڵانەی گەلاوێژ ڕۆژی پێنجشەممە لە سلێمانی بە خوێندنەوەی شیعر بە کوردی و عەرەبی و فارسی، کۆنسێرتێکی مەقام و بەرنامەیەکی فیلمی کورتی دەرهێنەرە گەنجەکان دەستی پێکرد. ڕێکخەران دەڵێن ئەمساڵ نووسەرانی تورکیا و ئێران و سووریا بەشدارن. فێستیڤاڵەکە پێنج ڕۆژ دەخایەنێت و چوونەژوورەوە بێبەرامبەرە.",
            "ckb",
        ),
    },
    "kmr": {
        "drone": Article(
            "Dronan baregehên li nêzî firokexaneya Hewlêrê û li Enbarê kirin armanc",
            "Li gorî dezgeha dijeterorê ya Herêma Kurdistanê, du dronên bi teqemenî şeva Sêşemê li nêzî baregeheke hêzên hevpeymaniya navneteweyî li firokexaneya Hewlêrê ketin. Drona sêyem baregeha Eyn el-Esed li parêzgeha Enbarê pêkan. Li Hewlêrê kes birîndar nebû; li Enbarê peymankarek sivik birîndar bû. Hikûmeta Herêmê êrîş şermezar kirin û ji Bexdayê xwest ku kiryaran hesab bike.",
            "kmr",
        ),
        "election": Article(
            "Hilbijartinên Parlamentoya Kurdistanê ji bo Cotmehê hatin diyarkirin",
            "Komîsyona Bilind a Serbixwe ya Hilbijartinan ragihand ku hilbijartinên Parlamentoya Kurdistanê piştî du caran paşxistinê dê di 20ê Cotmehê de pêk werin. Divê partî di nav şeş hefteyan de lîsteyên kandîdên xwe pêşkêş bikin. Hejmara kursiyên kotayê yên pêkhateyan, di nav de Mesîhî, Tirkmen û Ermen, piştî biryareke dadgeha federal hîn jî cihê nakokiyê ye.",
            "kmr",
        ),
        "budget": Article(
            "Hewlêr û Bexda hîn li ser meaş û dahata petrolê li hev nekirine",
            "Danûstandinên navbera Hikûmeta Herêma Kurdistanê û hikûmeta federal a li Bexdayê roja Yekşemê bêyî lihevkirinê li ser para Herêmê ji bûdceya federal bi dawî bûn. Fermanberên Herêmê du meh in meaşên xwe wernegirtine. Bexda israr dike ku hemû hinardekirina petrolê bi rêya şirketa SOMO be.",
            "kmr",
        ),
        "drought": Article(
            "Ava gola Dukanê daket asta herî nizm a çend dehsalan",
            "Li gorî wezareta çavkaniyên avê ya Herêmê, piştî zivistana sêyem a bê baran û kêmbûna avê ji bendavên Îran û Tirkiyeyê, ava gola Dukanê daketiye asta herî nizm a zêdetirî sî salan. Cotkarên deşta Şarezûrê dibêjin berhema genim winda bûye û berpirs ji welatiyan dixwazin ku bikaranîna avê kêm bikin.",
            "kmr",
        ),
        "football": Article(
            "Hewlêrê di derbiyeke germ de bi 2-1 Duhok bir",
            "Yaneya Hewlêrê roja Înê li yarîgeha tije ya Franso Harîrî di Lîga Stêrkên Iraqê de piştî ku paş ketibû bi 2-1 Duhok bir. Duhok di nîvê yekem de bi penaltiyekê pêş ket, paşê lêdaneke bi serî û lêdaneke azad a dereng encam guhertin. Hakem du kartên sor derxistin û lîstik deh deqeyan rawestiya piştî ku alîgiran şûşe avêtin qadê.",
            "kmr",
        ),
        "festival": Article(
            "Festîvala Gelawêjê li Silêmaniyê bi helbest, muzîk û fîlman dest pê kir",
            "Festîvala salane ya çandî ya Gelawêjê roja Pêncşemê li Silêmaniyê bi xwendina helbestan bi Kurdî, Erebî û Farisî, konsereke meqaman û bernameyek fîlmên kurt ên derhênerên ciwan dest pê kir. Rêxistinkeran gotin ku îsal nivîskar ji Tirkiye, Îran û Sûriyeyê beşdar in. Festîval pênc rojan didome û ketin belaş e.",
            "kmr",
        ),
    },
    "ar": {
        "drone": Article(
            "طائرات مسيرة تستهدف قواعد قرب مطار أربيل وفي الأنبار",
            "سقطت طائرتان مسيرتان محملتان بالمتفجرات قرب قاعدة تستضيف قوات التحالف الدولي في مطار أربيل في وقت متأخر من ليلة الثلاثاء، بحسب جهاز مكافحة الإرهاب في إقليم كردستان. وضربت طائرة ثالثة قاعدة عين الأسد في محافظة الأنبار. ولم تسجل إصابات في أربيل، فيما أصيب متعاقد بجروح طفيفة في الأنبار. وأدانت حكومة الإقليم الهجمات ودعت بغداد إلى محاسبة المنفذين.",
            "ar",
        ),
        "election": Article(
            "تحديد موعد انتخابات برلمان كردستان في تشرين الأول",
            "أعلنت المفوضية العليا المستقلة للانتخابات أن انتخابات برلمان كردستان ستجرى في العشرين من تشرين الأول بعد تأجيلين. وعلى الأحزاب تقديم قوائم مرشحيها خلال ستة أسابيع. ولا يزال عدد مقاعد الكوتا المخصصة للمكونات، ومنها المسيحيون والتركمان والأرمن، موضع خلاف بعد قرار للمحكمة الاتحادية.",
            "ar",
        ),
        "budget": Article(
            "أربيل وبغداد بلا اتفاق على الرواتب وإيرادات النفط",
            "انتهت المحادثات بين حكومة إقليم كردستان والحكومة الاتحادية في بغداد يوم الأحد من دون اتفاق على حصة الإقليم من الموازنة الاتحادية. ولم يتسلم موظفو القطاع العام في الإقليم رواتبهم منذ شهرين. وتصر بغداد على أن تمر كل صادرات النفط عبر شركة تسويق النفط سومو.",
            "ar",
        ),
        "drought": Article(
            "بحيرة دوكان عند أدنى مستوى لها منذ عقود مع اشتداد الجفاف",
            "انخفض منسوب المياه في بحيرة دوكان إلى أدنى مستوى له منذ أكثر من ثلاثين عاما، بحسب وزارة الموارد المائية في الإقليم، بعد شتاء جاف ثالث وتراجع الإطلاقات من السدود في إيران وتركيا. ويقول مزارعو سهل شهرزور إن محصول القمح فشل، فيما طلب المسؤولون من السكان تقليل استهلاك المياه.",
            "ar",
        ),
        "football": Article(
            "أربيل يفوز على دهوك 2-1 في ديربي ساخن",
            "قلب نادي أربيل تأخره إلى فوز على دهوك 2-1 في دوري نجوم العراق يوم الجمعة على ملعب فرانسو حريري الممتلئ بالجماهير. وتقدم دهوك في الشوط الأول من ركلة جزاء، قبل أن تقلب ضربة رأسية وركلة حرة متأخرة النتيجة. وأشهر الحكم بطاقتين حمراوين وتوقفت المباراة عشر دقائق بعد أن رمى المشجعون القناني إلى أرض الملعب.",
            "ar",
        ),
        "festival": Article(
            "انطلاق مهرجان كلاويز في السليمانية بالشعر والموسيقى والسينما",
            "انطلق مهرجان كلاويز الثقافي السنوي في السليمانية يوم الخميس بقراءات شعرية بالكردية والعربية والفارسية، وحفل للمقام التقليدي، وبرنامج أفلام قصيرة لمخرجين شباب. وقال المنظمون إن كتابا من تركيا وإيران وسوريا يشاركون هذا العام. ويستمر المهرجان خمسة أيام والدخول مجاني.",
            "ar",
        ),
    },
    "tr": {
        "drone": Article(
            "İHA'lar Erbil havalimanı yakınındaki ve Anbar'daki üsleri hedef aldı",
            "Kürdistan Bölgesi terörle mücadele servisine göre patlayıcı yüklü iki insansız hava aracı salı gecesi geç saatlerde Erbil havalimanında uluslararası koalisyon güçlerinin bulunduğu bir üssün yakınına düştü. Üçüncü bir İHA Anbar'daki Ayn el-Esad üssünü vurdu. Erbil'de kayıp yaşanmadı, Anbar'da bir yüklenici hafif yaralandı. Bölge hükümeti saldırıları kınadı ve Bağdat'tan faillerin hesap vermesini istedi.",
            "tr",
        ),
        "election": Article(
            "Kürdistan Bölgesi parlamento seçimleri Ekim ayına belirlendi",
            "Bağımsız Yüksek Seçim Komisyonu, Kürdistan Parlamentosu seçimlerinin iki ertelemenin ardından 20 Ekim'de yapılacağını açıkladı. Partiler aday listelerini altı hafta içinde sunmak zorunda. Hristiyanlar, Türkmenler ve Ermeniler dahil azınlıklara ayrılan kota sandalyelerinin sayısı bir federal mahkeme kararının ardından hâlâ tartışmalı.",
            "tr",
        ),
        "budget": Article(
            "Erbil ve Bağdat maaşlar ve petrol gelirinde hâlâ anlaşamadı",
            "Kürdistan Bölgesel Yönetimi ile Bağdat'taki federal hükümet arasındaki görüşmeler pazar günü bölgenin federal bütçeden alacağı pay konusunda anlaşma olmadan sona erdi. Bölgedeki kamu çalışanları iki aydır maaş alamıyor. Bağdat tüm petrol ihracatının devlet şirketi SOMO üzerinden yapılmasında ısrar ediyor.",
            "tr",
        ),
        "drought": Article(
            "Dukan gölü son on yılların en düşük seviyesine indi",
            "Bölge su kaynakları bakanlığına göre Dukan gölündeki su, üçüncü kurak kışın ve İran ile Türkiye'deki barajlardan gelen suyun azalmasının ardından otuz yılı aşkın sürenin en düşük seviyesine geriledi. Şarezur ovasındaki çiftçiler buğday hasadının kaybedildiğini söylüyor; yetkililer halktan su tüketimini azaltmasını istedi.",
            "tr",
        ),
        "football": Article(
            "Erbil SC gergin derbide Duhok'u 2-1 yendi",
            "Erbil SC cuma günü tıklım tıklım dolu Franso Hariri stadında Irak Yıldızlar Ligi'nde geriye düştüğü maçta Duhok'u 2-1 yendi. Duhok ilk yarıda penaltıyla öne geçti, ardından bir kafa golü ve geç gelen bir serbest vuruş maçı çevirdi. Hakem iki kırmızı kart gösterdi ve taraftarların sahaya şişe atması üzerine maç on dakika durdu.",
            "tr",
        ),
        "festival": Article(
            "Galavej festivali Süleymaniye'de şiir, müzik ve filmle başladı",
            "Yıllık Galavej kültür festivali perşembe günü Süleymaniye'de Kürtçe, Arapça ve Farsça şiir okumaları, geleneksel makam konseri ve genç yönetmenlerin kısa filmlerinden oluşan bir programla başladı. Organizatörler bu yıl Türkiye, İran ve Suriye'den yazarların katıldığını söyledi. Festival beş gün sürüyor ve giriş ücretsiz.",
            "tr",
        ),
    },
    "fa": {
        "drone": Article(
            "پهپادها پایگاه‌هایی در نزدیکی فرودگاه اربیل و در الانبار را هدف گرفتند",
            "به گفته‌ی سازمان مبارزه با تروریسم اقلیم کردستان، دو پهپاد حامل مواد منفجره اواخر شب سه‌شنبه در نزدیکی پایگاهی که میزبان نیروهای ائتلاف بین‌المللی است در فرودگاه اربیل سقوط کردند. پهپاد سوم پایگاه عین‌الاسد در استان الانبار را هدف قرار داد. در اربیل تلفاتی گزارش نشد و در الانبار یک پیمانکار به‌طور سطحی زخمی شد. دولت اقلیم این حملات را محکوم کرد و از بغداد خواست عاملان را پاسخگو کند.",
            "fa",
        ),
        "election": Article(
            "انتخابات پارلمان اقلیم کردستان برای ماه اکتبر تعیین شد",
            "کمیسیون عالی مستقل انتخابات اعلام کرد که انتخابات پارلمان کردستان پس از دو بار تعویق در ۲۰ اکتبر برگزار می‌شود. احزاب باید ظرف شش هفته فهرست نامزدهای خود را ارائه کنند. تعداد کرسی‌های سهمیه‌ی اقلیت‌ها، از جمله مسیحیان، ترکمن‌ها و ارمنی‌ها، پس از حکم دادگاه فدرال همچنان محل اختلاف است.",
            "fa",
        ),
        "budget": Article(
            "اربیل و بغداد هنوز بر سر حقوق و درآمد نفت توافق نکرده‌اند",
            "مذاکرات میان دولت اقلیم کردستان و دولت فدرال در بغداد روز یکشنبه بدون توافق درباره‌ی سهم اقلیم از بودجه‌ی فدرال پایان یافت. کارمندان بخش دولتی اقلیم دو ماه است حقوق نگرفته‌اند. بغداد اصرار دارد که همه‌ی صادرات نفت از طریق شرکت دولتی سومو انجام شود.",
            "fa",
        ),
        "drought": Article(
            "سطح آب دریاچه‌ی دوکان به پایین‌ترین حد در چند دهه‌ی اخیر رسید",
            "به گفته‌ی وزارت منابع آب اقلیم، آب دریاچه‌ی دوکان پس از سومین زمستان خشک و کاهش آب ورودی از سدهای ایران و ترکیه به پایین‌ترین سطح در بیش از سی سال گذشته رسیده است. کشاورزان دشت شهرزور می‌گویند محصول گندم از دست رفته و مسئولان از مردم خواسته‌اند مصرف آب را کم کنند.",
            "fa",
        ),
        "football": Article(
            "اربیل در دربی پرتنش ۲ بر ۱ دهوک را شکست داد",
            "باشگاه اربیل روز جمعه در ورزشگاه پرتماشاگر فرانسو حریری در لیگ ستارگان عراق پس از عقب افتادن، دهوک را ۲ بر ۱ شکست داد. دهوک در نیمه‌ی اول با یک پنالتی پیش افتاد، اما یک ضربه‌ی سر و یک ضربه‌ی آزاد دیرهنگام نتیجه را برگرداند. داور دو کارت قرمز نشان داد و بازی پس از پرتاب بطری از سوی هواداران ده دقیقه متوقف شد.",
            "fa",
        ),
        "festival": Article(
            "جشنواره‌ی گلاویژ در سلیمانیه با شعر، موسیقی و فیلم آغاز شد",
            "جشنواره‌ی فرهنگی سالانه‌ی گلاویژ روز پنجشنبه در سلیمانیه با شعرخوانی به زبان‌های کردی، عربی و فارسی، کنسرت موسیقی مقامی و برنامه‌ای از فیلم‌های کوتاه کارگردانان جوان آغاز شد. برگزارکنندگان گفتند امسال نویسندگانی از ترکیه، ایران و سوریه حضور دارند. جشنواره پنج روز ادامه دارد و ورود رایگان است.",
            "fa",
        ),
    },
}
