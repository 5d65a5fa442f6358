import XDPLoadBalancerCommands

XDPLoadBalancerCommand.main()
