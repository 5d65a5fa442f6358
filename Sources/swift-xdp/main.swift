import SwiftXDPCommands

SwiftXDPCommand.main()
