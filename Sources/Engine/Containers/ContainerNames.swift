/// Docker's container name rules and its generated `adjective_name` names.
public enum ContainerNames {
    /// `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, an optional leading slash dropped.
    public static func validate(_ raw: String) throws(EngineError) -> String {
        let name = raw.hasPrefix("/") ? String(raw.dropFirst()) : raw
        guard matchesNameRule(name) else {
            throw EngineError(.invalidParameter, "Invalid container name (\(raw)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
        return name
    }

    /// Docker's rule for container and volume names: `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`.
    public static func matchesNameRule(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func alnum(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
        return bytes.count >= 2 && alnum(bytes[0])
            && bytes.dropFirst().allSatisfy { alnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static let adjectives = [
        "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful", "blissful",
        "bold", "boring", "brave", "busy", "charming", "clever", "compassionate", "competent", "condescending",
        "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted", "dreamy", "eager",
        "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting", "fervent", "festive",
        "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great",
        "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent",
        "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest",
        "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic",
        "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical", "recursing",
        "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly", "sleepy", "stoic", "strange",
        "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting", "unruffled", "upbeat", "vibrant",
        "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen",
    ]
    static let surnames = [
        "agnesi", "albattani", "allen", "almeida", "archimedes", "ardinghelli", "aryabhata", "austin", "babbage",
        "banach", "bardeen", "bartik", "bassi", "bell", "benz", "bhabha", "bhaskara", "blackwell", "bohr", "booth",
        "borg", "bose", "boyd", "brahmagupta", "brattain", "brown", "carson", "chandrasekhar", "clarke", "colden",
        "cori", "cray", "curie", "darwin", "davinci", "dijkstra", "dubinsky", "easley", "edison", "einstein",
        "elion", "engelbart", "euclid", "euler", "fermat", "fermi", "feynman", "franklin", "galileo", "gates",
        "goldberg", "goldstine", "goldwasser", "golick", "goodall", "hamilton", "hawking", "heisenberg",
        "hermann", "hodgkin", "hoover", "hopper", "hugle", "hypatia", "jackson", "jang", "jennings", "jepsen",
        "johnson", "joliot", "jones", "kalam", "kapitsa", "kare", "keller", "kepler", "khorana", "kilby",
        "kirch", "knuth", "kowalevski", "lalande", "lamarr", "lamport", "leakey", "leavitt", "lewin",
        "lichterman", "liskov", "lovelace", "lumiere", "mahavira", "mayer", "mccarthy", "mcclintock", "mclean",
        "meitner", "mendel", "mestorf", "minsky", "mirzakhani", "morse", "murdock", "napier", "nash", "neumann",
        "newton", "nightingale", "nobel", "noether", "northcutt", "noyce", "panini", "pare", "pasteur", "payne",
        "perlman", "pike", "poincare", "poitras", "ptolemy", "raman", "ramanujan", "ride", "ritchie", "roentgen",
        "rosalind", "saha", "sammet", "shannon", "shaw", "shirley", "shockley", "sinoussi", "snyder", "spence",
        "stonebraker", "swanson", "swartz", "swirles", "tesla", "thompson", "torvalds", "turing", "varahamihira",
        "visvesvaraya", "volhard", "wescoff", "williams", "wilson", "wing", "wozniak", "wright", "yalow", "yonath",
    ]

    /// A random `adjective_surname` not in `taken` (docker appends a digit after collisions).
    public static func generate(avoiding taken: Set<String>) -> String {
        for attempt in 0..<64 {
            var name = "\(adjectives.randomElement()!)_\(surnames.randomElement()!)"
            if attempt > 8 { name += String(Int.random(in: 0...9)) }
            if !taken.contains(name) { return name }
        }
        return "berth_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    /// A new 64-hex-digit container or exec ID.
    public static func newID() -> String {
        var s = ""
        for _ in 0..<4 {
            let part = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            s += String(repeating: "0", count: 16 - part.count) + part
        }
        return s
    }
}
