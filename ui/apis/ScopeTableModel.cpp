#include "ui/apis/ScopeTableModel.h"

#include "core/scopes/ScopeWindowText.h"

namespace headroom::ui {

ScopeTableModel::ScopeTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ScopeTableModel::setScopes(const scopes::ScopeSet &scopes)
{
    beginResetModel();
    m_scopes = scopes;
    endResetModel();
}

int ScopeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_scopes.scopes().size());
}

int ScopeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ScopeTableModel::windowsText(const scopes::ScopeSpec &scope) const
{
    if (scope.windows().isEmpty())
        return tr("learned from the server");
    return scopes::ScopeWindowText::format(scope.windows());
}

QVariant ScopeTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_scopes.scopes().size())
        return {};
    const scopes::ScopeSpec &scope = m_scopes.scopes().at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Match)
        return scope.matchText();
    if (role == Qt::ToolTipRole && index.column() == Key && scope.keyVariable().isEmpty())
        return tr("One budget for the workspace");
    if (role == Qt::ToolTipRole && index.column() == Windows) {
        return scope.name() == scopes::ScopeSet::mainName() ? tr("Set by the rate and window above")
                                                            : tr("Double-click to change, e.g. \"1 per 10s\" or \"10 per 1s, 500 per 1d\"");
    }
    if (role == Qt::EditRole && index.column() == Windows)
        return scopes::ScopeWindowText::format(scope.windows());
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Scope:
        return scope.name();
    case Match:
        return scope.matchText();
    case Key:
        return scope.keyVariable().isEmpty() ? tr("workspace") : tr("per %1").arg(scope.keyVariable());
    case Windows:
        return windowsText(scope);
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags ScopeTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Windows
        && m_scopes.scopes().at(index.row()).name() != scopes::ScopeSet::mainName())
        f |= Qt::ItemIsEditable;
    return f;
}

bool ScopeTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    QString error;
    const auto windows = scopes::ScopeWindowText::parse(value.toString(), &error);
    if (!windows) {
        emit editRefused(error);
        return false;
    }
    const QString scope = m_scopes.scopes().at(index.row()).name();
    m_scopes.applyLimits({{scope, *windows}});
    emit dataChanged(index, index);
    emit limitEdited(scope, *windows);
    return true;
}

QVariant ScopeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Scope:
        return tr("Scope");
    case Match:
        return tr("Match");
    case Key:
        return tr("Key");
    case Windows:
        return tr("Limit");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace headroom::ui
