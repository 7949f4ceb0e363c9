/// The registry client (issue 7): pull, push, login.
public enum DistributionModule {}
