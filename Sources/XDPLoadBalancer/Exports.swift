@_exported import SwiftXDP
