#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time, only for interpreting HTTP dates.
enum WallClock {
    static func secondsSince1970() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
