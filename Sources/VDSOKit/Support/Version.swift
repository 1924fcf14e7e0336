/// vdsogen's own version, printed by `--version` and written into generated files.
public enum VDSOGenVersion {
    public static let string = "0.1.0"
}
