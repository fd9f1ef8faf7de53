package dev.kindling.dataset;

import java.util.List;

/** The word lists the generator draws realistic-looking B2B data from. */
final class Vocabulary {

    static final List<String> NAME_FIRST_PARTS = List.of(
            "Blue",
            "Red",
            "Green",
            "Silver",
            "Golden",
            "North",
            "South",
            "East",
            "West",
            "Bright",
            "Clear",
            "Swift",
            "True",
            "Prime",
            "Nova",
            "Apex",
            "Summit",
            "River",
            "Ocean",
            "Harbor",
            "Cedar",
            "Maple",
            "Oak",
            "Pine",
            "Stone",
            "Iron",
            "Copper",
            "Crystal",
            "Falcon",
            "Eagle",
            "Fox",
            "Wolf",
            "Bear",
            "Lion",
            "Orbit",
            "Quantum",
            "Vector",
            "Pixel",
            "Signal",
            "Bridge",
            "Beacon",
            "Cloud",
            "Sky",
            "Star",
            "Sun",
            "Moon",
            "Polar",
            "Urban",
            "Metro",
            "Global",
            "Pacific",
            "Atlantic",
            "Alpine",
            "Sakura",
            "Fuji",
            "Kyoto",
            "Nordic",
            "Coastal",
            "Frontier",
            "Vertex");

    static final List<String> NAME_SECOND_PARTS = List.of(
            "path", "point", "works", "line", "gate", "field", "forge", "peak", "wave", "core", "leaf", "rock", "bay",
            "crest", "ridge", "spring", "brook", "grove", "light", "stream", "craft", "mark", "wing", "port", "haven",
            "hill", "lake", "valley", "shore", "tree", "hub", "base", "loop", "link", "mind", "sense", "scale", "shift",
            "spark", "flow", "root", "seed", "tide", "wind", "fire", "frost", "dawn", "hawk", "arc", "edge", "sphere",
            "grid", "nest", "trail", "well", "yard", "dock", "mill", "vale", "cove");

    /** Four name endings per industry, in the order of {@link #INDUSTRIES}. */
    static final List<String> NAME_ENDINGS = List.of(
            "Software",
            "Labs",
            "Apps",
            "Cloud",
            "Systems",
            "Technologies",
            "Consulting",
            "Solutions",
            "Industries",
            "Manufacturing",
            "Precision",
            "Machinery",
            "Capital",
            "Financial",
            "Partners",
            "Insurance",
            "Health",
            "Medical",
            "Care",
            "Clinics",
            "Retail",
            "Stores",
            "Outfitters",
            "Brands",
            "Logistics",
            "Freight",
            "Shipping",
            "Transport",
            "Networks",
            "Telecom",
            "Communications",
            "Wireless",
            "Learning",
            "Academy",
            "Education",
            "Institute",
            "Energy",
            "Power",
            "Solar",
            "Utilities",
            "Media",
            "Studios",
            "Publishing",
            "Digital",
            "Advisory",
            "Group",
            "Associates",
            "Legal",
            "Construction",
            "Builders",
            "Engineering",
            "Materials",
            "Pharma",
            "Biosciences",
            "Therapeutics",
            "Diagnostics",
            "Foods",
            "Beverages",
            "Farms",
            "Kitchens");

    static final List<String> INDUSTRIES = List.of(
            "Software",
            "IT Services",
            "Manufacturing",
            "Financial Services",
            "Healthcare",
            "Retail",
            "Logistics",
            "Telecommunications",
            "Education",
            "Energy",
            "Media",
            "Professional Services",
            "Construction",
            "Pharmaceuticals",
            "Food & Beverage");

    /** Countries with weights (percent) and the national top-level domain and calling code. */
    record Country(String code, int weight, String tld, String callingCode, String legalForm) {}

    static final List<Country> COUNTRIES = List.of(
            new Country("US", 35, ".com", "+1", "Inc."),
            new Country("JP", 15, ".co.jp", "+81", "K.K."),
            new Country("GB", 10, ".co.uk", "+44", "Ltd"),
            new Country("DE", 10, ".de", "+49", "GmbH"),
            new Country("FR", 6, ".fr", "+33", "SAS"),
            new Country("CA", 5, ".ca", "+1", "Inc."),
            new Country("AU", 4, ".com.au", "+61", "Pty Ltd"),
            new Country("IN", 4, ".in", "+91", "Pvt Ltd"),
            new Country("NL", 3, ".nl", "+31", "B.V."),
            new Country("SE", 2, ".se", "+46", "AB"),
            new Country("SG", 2, ".com.sg", "+65", "Pte Ltd"),
            new Country("BR", 2, ".com.br", "+55", "Ltda"),
            new Country("ES", 2, ".es", "+34", "S.L."));

    static final List<String> FIRST_NAMES = List.of(
            "James",
            "Mary",
            "John",
            "Patricia",
            "Robert",
            "Jennifer",
            "Michael",
            "Linda",
            "David",
            "Elizabeth",
            "William",
            "Barbara",
            "Richard",
            "Susan",
            "Thomas",
            "Jessica",
            "Daniel",
            "Sarah",
            "Matthew",
            "Karen",
            "Emma",
            "Lukas",
            "Sophie",
            "Felix",
            "Hannah",
            "Louis",
            "Chloé",
            "Lars",
            "Ingrid",
            "Priya",
            "Arjun",
            "Wei",
            "Mei",
            "Carlos",
            "Lucía",
            "Olivia",
            "Noah",
            "Liam",
            "Ava",
            "Ethan");

    static final List<String> LAST_NAMES = List.of(
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Garcia",
            "Rodriguez",
            "Wilson",
            "Martinez",
            "Anderson",
            "Taylor",
            "Thomas",
            "Moore",
            "Jackson",
            "Martin",
            "Lee",
            "Thompson",
            "White",
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Dubois",
            "Laurent",
            "Bernard",
            "Rossi",
            "Jansen",
            "Andersson",
            "Johansson",
            "Patel",
            "Sharma",
            "Singh",
            "Chen",
            "Tan",
            "Silva",
            "Santos",
            "O'Brien",
            "Nguyen");

    /** Japanese names as written, with the romanisation used in email addresses. */
    record JapaneseName(String written, String romanised) {}

    static final List<JapaneseName> JAPANESE_LAST_NAMES = List.of(
            new JapaneseName("佐藤", "sato"), new JapaneseName("鈴木", "suzuki"),
            new JapaneseName("高橋", "takahashi"), new JapaneseName("田中", "tanaka"),
            new JapaneseName("伊藤", "ito"), new JapaneseName("渡辺", "watanabe"),
            new JapaneseName("山本", "yamamoto"), new JapaneseName("中村", "nakamura"),
            new JapaneseName("小林", "kobayashi"), new JapaneseName("加藤", "kato"),
            new JapaneseName("吉田", "yoshida"), new JapaneseName("山田", "yamada"),
            new JapaneseName("佐々木", "sasaki"), new JapaneseName("山口", "yamaguchi"),
            new JapaneseName("松本", "matsumoto"), new JapaneseName("井上", "inoue"),
            new JapaneseName("木村", "kimura"), new JapaneseName("林", "hayashi"),
            new JapaneseName("清水", "shimizu"), new JapaneseName("森", "mori"));

    static final List<JapaneseName> JAPANESE_FIRST_NAMES = List.of(
            new JapaneseName("太郎", "taro"), new JapaneseName("花子", "hanako"),
            new JapaneseName("翔太", "shota"), new JapaneseName("陽菜", "hina"),
            new JapaneseName("健一", "kenichi"), new JapaneseName("美咲", "misaki"),
            new JapaneseName("大輔", "daisuke"), new JapaneseName("由美", "yumi"),
            new JapaneseName("拓也", "takuya"), new JapaneseName("直美", "naomi"),
            new JapaneseName("誠", "makoto"), new JapaneseName("恵", "megumi"),
            new JapaneseName("浩", "hiroshi"), new JapaneseName("明美", "akemi"),
            new JapaneseName("隆", "takashi"), new JapaneseName("さくら", "sakura"),
            new JapaneseName("悠人", "yuto"), new JapaneseName("結衣", "yui"),
            new JapaneseName("修", "osamu"), new JapaneseName("愛", "ai"));

    static final List<String> JAPANESE_TITLES = List.of(
            "代表取締役社長",
            "取締役",
            "執行役員",
            "部長",
            "部長",
            "課長",
            "課長",
            "課長",
            "係長",
            "主任",
            "主任",
            "マーケティング部 部長",
            "営業部 課長",
            "情報システム部 部長",
            "経営企画室 室長",
            "担当");

    /** Departments with weights (percent), the word used in C-level titles, and individual roles. */
    record Department(String name, int weight, String chiefWord, List<String> individualTitles) {}

    static final List<Department> DEPARTMENTS = List.of(
            new Department(
                    "Marketing",
                    25,
                    "Marketing",
                    List.of("Marketing Specialist", "Demand Generation Specialist", "Marketing Operations Analyst")),
            new Department("Sales", 20, "Revenue", List.of("Account Executive", "Sales Development Representative")),
            new Department("IT", 20, "Information", List.of("Systems Administrator", "IT Analyst")),
            new Department("Engineering", 10, "Technology", List.of("Software Engineer", "Solutions Architect")),
            new Department("Operations", 8, "Operating", List.of("Operations Analyst")),
            new Department("Finance", 7, "Financial", List.of("Financial Analyst", "Controller")),
            new Department("HR", 5, "People", List.of("HR Generalist", "Recruiter")),
            new Department("Executive", 5, "Executive", List.of("Founder", "Chief of Staff", "General Manager")));

    static final List<String> FREE_MAIL_DOMAINS =
            List.of("gmail.com", "gmail.com", "gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com");

    static final List<String> JAPANESE_FREE_MAIL_DOMAINS =
            List.of("gmail.com", "yahoo.co.jp", "yahoo.co.jp", "docomo.ne.jp", "outlook.jp");

    static final List<String> SOURCES = List.of(
            "Website",
            "Website",
            "Organic Search",
            "Paid Search",
            "LinkedIn",
            "Webinar",
            "Trade Show",
            "List Import",
            "Referral",
            "Content Syndication");

    /** The marketing site of the company using Kindling: where page views happen. */
    static final String SITE = "https://www.acme-cloud.example";

    static final List<String> PAGES = List.of(
            "/",
            "/",
            "/pricing",
            "/pricing",
            "/product",
            "/product/scoring",
            "/product/automation",
            "/product/integrations",
            "/blog/lead-scoring-basics",
            "/blog/mql-vs-sql",
            "/blog/attribution-models",
            "/case-studies",
            "/case-studies/logistics",
            "/resources/b2b-funnel-benchmarks",
            "/webinars",
            "/contact",
            "/demo",
            "/ja/",
            "/ja/pricing",
            "/ja/blog/lead-nurturing",
            "/careers",
            "/docs/api",
            "/security",
            "/about");

    static final List<String> FORMS = List.of(
            "Contact us",
            "Whitepaper: B2B funnel benchmarks",
            "Newsletter signup",
            "Webinar registration",
            "Pricing request",
            "お問い合わせ",
            "資料請求");

    static final List<String> ASSETS = List.of(
            "B2B funnel benchmarks 2026.pdf",
            "Lead scoring playbook.pdf",
            "Product datasheet.pdf",
            "ROI calculator.xlsx",
            "Security whitepaper.pdf",
            "導入事例集.pdf");

    static final List<String> CUSTOM_NAMES = List.of("trial_started", "product_login", "feature_used", "invoice_paid");

    static final List<String> WEBINAR_TOPICS = List.of(
            "Lead scoring that sales trusts",
            "From MQL to revenue",
            "Attribution without the guesswork",
            "Nurture programs that convert",
            "Marketing ops in practice",
            "リードナーチャリング実践講座");

    static final List<String> EVENTS = List.of(
            "SaaStr Annual",
            "Dreamforce",
            "Web Summit",
            "Interop Tokyo",
            "DMEXCO",
            "B2B Marketing Expo",
            "Japan IT Week");

    static final List<String> AD_NETWORKS = List.of("Google Ads", "LinkedIn Ads", "Meta Ads", "Yahoo! 広告");

    private Vocabulary() {}
}
