/// go-units' `HumanDuration`, as docker shows ages and uptimes (`Up 3 seconds`, `2 hours ago`);
/// the daemon (ps Status) and the CLI (CREATED) both need it.
public enum HumanDuration {
    /// `Less than a second`, `1 second`, `3 seconds`, `About a minute`, `2 hours`, `3 days`, `5 weeks`, `2 months`, `3 years`.
    public static func text(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 1 { return "Less than a second" }
        if s == 1 { return "1 second" }
        if s < 60 { return "\(s) seconds" }
        let minutes = Int(seconds / 60)
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = Int((seconds / 3600).rounded())
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(Int(seconds / 3600) / 24 / 365) years"
    }
}
